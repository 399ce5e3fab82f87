"""A deterministic demo province: organizations, focal points, information systems and a login per role.

Everything random comes from one `random.Random(seed)` and every date from REFERENCE_DATE, so a seed gives
the same province on SQLite and PostgreSQL. People, phone numbers, addresses and domains are fictional;
IP addresses come from the documentation ranges (RFC 5737). Changes go through the real services, so the
staff-change and dossier histories look as they would after real use.
"""

from __future__ import annotations

import datetime
import ipaddress
import random
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from ungcuu.accounts.models import User
from ungcuu.core.names import split_full_name
from ungcuu.core.text import fold
from ungcuu.organizations.models import FocalPoint, Kind, Membership, Organization, StaffLine
from ungcuu.organizations.services import add_focal_point, deactivate_focal_point, update_focal_point
from ungcuu.systems.models import InformationSystem
from ungcuu.systems.services import appraise_dossier, approve_level, register_system

DEFAULT_SEED = 2026
REFERENCE_DATE = datetime.date(2026, 11, 1)
DEMO_PASSWORD = "ungcuu-demo-2026"  # noqa: S105 - shown to the user by `make run`; demo data only
PHONE_AREA = "0229"
PC = "UBND-TINH"
DOC_NETWORKS = ("203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24")

Type = InformationSystem.SystemType
Hosting = InformationSystem.Hosting
State = InformationSystem.DossierState
Duty = FocalPoint.Duty
Role = Membership.Role

SURNAMES = (
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đinh",
    "Đỗ",
    "Bùi",
    "Ngô",
    "Đặng",
    "Dương",
    "Lương",
    "Tạ",
    "Mai",
    "Trịnh",
)
MALE_MIDDLE = ("Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Thành", "Tiến", "Mạnh")
FEMALE_MIDDLE = ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Thùy", "Hồng", "Kim")
MALE_GIVEN = (
    "Hùng",
    "Dũng",
    "Tuấn",
    "Long",
    "Nam",
    "Cường",
    "Thắng",
    "Hải",
    "Sơn",
    "Quân",
    "Trung",
    "Khánh",
    "Phong",
    "Việt",
    "Hiếu",
    "Tùng",
    "Đạt",
    "Huy",
)
FEMALE_GIVEN = (
    "Lan",
    "Hương",
    "Mai",
    "Hà",
    "Linh",
    "Trang",
    "Thảo",
    "Huyền",
    "Ngân",
    "Yến",
    "Nhung",
    "Hạnh",
    "Vân",
    "Oanh",
    "Giang",
    "Quỳnh",
)
STREETS = (
    "Lê Hồng Phong",
    "Trần Hưng Đạo",
    "Đinh Tiên Hoàng",
    "Lê Thái Tổ",
    "Nguyễn Huệ",
    "Tràng An",
    "Xuân Thành",
    "Lương Văn Thụy",
    "Hải Thượng Lãn Ông",
    "Vân Giang",
    "Trần Nhân Tông",
)


class OrgSpec(NamedTuple):
    """One organization row: code, domain label, name ({province} and BODY_NAMES keys are filled in)."""

    code: str
    label: str
    name: str
    short_name: str
    kind: str
    parent: str | None = None
    member: bool = True  # of the incident-response network
    issuer: str = "UBND"  # suffix of its level-approval decisions, e.g. 123/QĐ-UBND


OP, COMMUNE = Kind.OPERATOR, Kind.COMMUNE
# Parents before children. Communes replace districts (abolished 07/2025); some run public service units.
ORGANIZATIONS = (
    OrgSpec(PC, "", "{PROVINCE_PC}", "UBND tỉnh", Kind.PROVINCE_PC),
    OrgSpec("SO-KHCN", "skhcn", "{SPECIALISED_UNIT}", "", Kind.SPECIALISED_UNIT, PC),
    OrgSpec("BCD-UCSC", "bcd-ucsc", "{PROV_STEERING}", "", Kind.PROV_STEERING, PC),
    OrgSpec(
        "DOI-UCSC",
        "ucsc",
        "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh {province}",
        "Đội ƯCSC tỉnh",
        Kind.PROV_IR_TEAM,
        PC,
    ),
    OrgSpec("SO-TC", "stc", "Sở Tài chính", "Sở TC", Kind.FINANCE, PC),
    OrgSpec("SO-YTE", "syt", "Sở Y tế", "Sở YT", OP, PC),
    OrgSpec("SO-GDDT", "sgddt", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", OP, PC),
    OrgSpec("SO-NV", "snv", "Sở Nội vụ", "Sở NV", OP, PC),
    OrgSpec("SO-TP", "stp", "Sở Tư pháp", "Sở TP", OP, PC),
    OrgSpec("SO-NNMT", "snnmt", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", OP, PC),
    OrgSpec("SO-XD", "sxd", "Sở Xây dựng", "Sở XD", OP, PC),
    OrgSpec("SO-CT", "sct", "Sở Công Thương", "Sở CT", OP, PC),
    OrgSpec("SO-VHTTDL", "svhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL", OP, PC),
    OrgSpec("VP-UBND", "vpubnd", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh", OP, PC),
    OrgSpec("TT-PVHCC", "hcc", "Trung tâm Phục vụ hành chính công tỉnh", "TT PVHCC", OP, PC),
    OrgSpec("THANH-TRA", "thanhtra", "Thanh tra tỉnh", "Thanh tra tỉnh", OP, PC),
    OrgSpec("UBND-HOALU", "hoalu", "UBND phường Hoa Lư", "", COMMUNE, PC, False),
    OrgSpec("UBND-TAMDIEP", "tamdiep", "UBND phường Tam Điệp", "", COMMUNE, PC, False),
    OrgSpec("UBND-PHULY", "phuly", "UBND phường Phủ Lý", "", COMMUNE, PC, False),
    OrgSpec("UBND-NAMDINH", "namdinh", "UBND phường Nam Định", "", COMMUNE, PC, False),
    OrgSpec("UBND-GIAVIEN", "giavien", "UBND xã Gia Viễn", "", COMMUNE, PC, False),
    OrgSpec("UBND-NHOQUAN", "nhoquan", "UBND xã Nho Quan", "", COMMUNE, PC, False),
    OrgSpec("UBND-KIMSON", "kimson", "UBND xã Kim Sơn", "", COMMUNE, PC, False),
    OrgSpec("UBND-YENMO", "yenmo", "UBND xã Yên Mô", "", COMMUNE, PC, False),
    OrgSpec("UBND-HAIHAU", "haihau", "UBND xã Hải Hậu", "", COMMUNE, PC, False),
    OrgSpec("UBND-YYEN", "yyen", "UBND xã Ý Yên", "", COMMUNE, PC, False),
    OrgSpec("THCS-HOALU", "thcshoalu", "Trường THCS Hoa Lư", "", OP, "UBND-HOALU", False),
    OrgSpec("TYT-HOALU", "tyt-hoalu", "Trạm Y tế phường Hoa Lư", "", OP, "UBND-HOALU", False),
    OrgSpec("TH-GIAVIEN", "thgiavien", "Trường Tiểu học Gia Viễn", "", OP, "UBND-GIAVIEN", False),
    OrgSpec("TYT-GIAVIEN", "tyt-giavien", "Trạm Y tế xã Gia Viễn", "", OP, "UBND-GIAVIEN", False),
    OrgSpec("MN-KIMSON", "mnkimson", "Trường Mầm non Kim Sơn", "", OP, "UBND-KIMSON", False),
    OrgSpec("CA-TINH", "congan", "Công an tỉnh {province}", "Công an tỉnh", Kind.POLICE, issuer="CAT"),
    OrgSpec(
        "BCH-QS", "bchqs", "Bộ Chỉ huy Quân sự tỉnh {province}", "Bộ CHQS tỉnh", Kind.MILITARY, issuer="BCH"
    ),
    OrgSpec(
        "BHXH-TINH",
        "bhxh",
        "Bảo hiểm xã hội tỉnh {province}",
        "BHXH tỉnh",
        Kind.CENTRAL_AGENCY,
        issuer="BHXH",
    ),
    OrgSpec("ISP-VNPT", "vnpt", "VNPT {province}", "VNPT", Kind.ISP, issuer="VNPT"),
    OrgSpec("ISP-VIETTEL", "viettel", "Viettel {province}", "Viettel", Kind.ISP, issuer="VTL"),
    OrgSpec("ISP-FPT", "fpt", "FPT Telecom chi nhánh {province}", "FPT Telecom", Kind.ISP, issuer="FPT"),
    OrgSpec(
        "VENDOR-TRANGAN",
        "trangan-sec",
        "Công ty Cổ phần An ninh mạng Tràng An",
        "Tràng An Sec",
        Kind.VENDOR,
        issuer="TAS",
    ),
    OrgSpec(
        "VENDOR-CUCPHUONG",
        "cucphuong-soc",
        "Công ty TNHH Dịch vụ An toàn thông tin Cúc Phương",
        "Cúc Phương SOC",
        Kind.VENDOR,
        issuer="CPS",
    ),
    OrgSpec("VNCERT-CC", "vncert", "{NATIONAL_COORDINATOR}", "", Kind.NATIONAL_COORDINATOR),
)
CENTRAL_OWNERS: dict[str, str] = {
    Kind.POLICE: "Bộ Công an",
    Kind.MILITARY: "Bộ Quốc phòng",
    Kind.CENTRAL_AGENCY: "Bảo hiểm xã hội Việt Nam",
}
COMPANY_KINDS = {Kind.ISP, Kind.VENDOR, Kind.NATIONAL_COORDINATOR}

# Stacks reuse the same products so advisories later match several systems.
# name: (OS, OS versions, services, ((vendor, product, versions), ...))
STACKS = {
    "liferay": (
        "Red Hat Enterprise Linux",
        ("8.6", "8.8", "9.2"),
        ("web", "database"),
        (
            ("Liferay", "Portal", ("7.4", "7.3")),
            ("Apache", "Tomcat", ("9.0.65", "9.0.80")),
            ("Oracle", "Database", ("19c",)),
        ),
    ),
    "wordpress": (
        "Ubuntu",
        ("20.04", "22.04"),
        ("web", "database"),
        (
            ("WordPress", "WordPress", ("6.2", "6.4.3", "5.8.1")),
            ("Nginx", "nginx", ("1.22.1", "1.18.0")),
            ("Oracle", "MySQL", ("8.0.32", "5.7.41")),
        ),
    ),
    "dotnet": (
        "Windows Server",
        ("2016", "2019", "2022"),
        ("web", "database"),
        (("Microsoft", "IIS", ("10.0",)), ("Microsoft", "SQL Server", ("2019", "2017"))),
    ),
    "java": (
        "Ubuntu",
        ("22.04",),
        ("web", "database"),
        (("Apache", "Tomcat", ("9.0.65", "9.0.80")), ("PostgreSQL", "PostgreSQL", ("14.9", "15.4"))),
    ),
    "oracle": (
        "Red Hat Enterprise Linux",
        ("7.9", "8.8"),
        ("web", "database"),
        (("Apache", "Tomcat", ("9.0.65", "8.5.93")), ("Oracle", "Database", ("19c", "12c"))),
    ),
    "moodle": (
        "Ubuntu",
        ("20.04",),
        ("web", "database"),
        (("Moodle", "Moodle", ("4.1.5",)), ("Apache", "HTTP Server", ("2.4.57",))),
    ),
    "mail": (
        "CentOS",
        ("7.9",),
        ("mail", "web"),
        (("Zimbra", "Collaboration", ("8.8.15", "9.0.0")), ("Nginx", "nginx", ("1.22.1",))),
    ),
    "video": (
        "Ubuntu",
        ("20.04",),
        ("web", "other"),
        (("Jitsi", "Meet", ("2.0.8922",)), ("Nginx", "nginx", ("1.18.0",))),
    ),
    "camera": ("Windows Server", ("2019",), ("other",), (("Hikvision", "HikCentral", ("2.4", "2.3")),)),
    "scada": (
        "Windows Server",
        ("2016",),
        ("other", "database"),
        (("Siemens", "WinCC", ("7.5",)), ("Microsoft", "SQL Server", ("2017",))),
    ),
    "network": (
        "FortiOS",
        ("7.0.12", "7.2.5"),
        ("other",),
        (("Fortinet", "FortiGate", ("7.0.12", "7.2.5")), ("Cisco", "IOS XE", ("17.3.4",))),
    ),
    "datacentre": (
        "VMware ESXi",
        ("7.0.3", "8.0"),
        ("other", "database"),
        (("VMware", "vCenter Server", ("7.0.3", "8.0.1")), ("Fortinet", "FortiGate", ("7.2.5",))),
    ),
    "soc": (
        "Ubuntu",
        ("22.04",),
        ("web", "database"),
        (("Elastic", "Elasticsearch", ("8.11.1",)), ("Wazuh", "Wazuh", ("4.7.2",))),
    ),
    "dns": ("Ubuntu", ("22.04",), ("other",), (("ISC", "BIND", ("9.18.19", "9.16.42")),)),
}
CIT, INT, INF, IND = Type.CITIZEN, Type.INTERNAL, Type.INFRASTRUCTURE, Type.INDUSTRIAL

# (operator, owner or None for the operator itself, host label ("" = operator's own domain, None = not
# published), name ({org} = operator name), level, type, stack).
SYSTEMS = (
    ("SO-KHCN", PC, "www", "Cổng thông tin điện tử tỉnh", 3, CIT, "liferay"),
    ("SO-KHCN", PC, "mail", "Hệ thống thư điện tử công vụ", 3, INT, "mail"),
    ("SO-KHCN", PC, None, "Trung tâm dữ liệu tỉnh", 4, INF, "datacentre"),
    ("SO-KHCN", PC, "lgsp", "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)", 3, INF, "java"),
    ("SO-KHCN", PC, None, "Mạng truyền số liệu chuyên dùng cấp tỉnh", 3, INF, "network"),
    ("SO-KHCN", PC, "ioc", "Trung tâm giám sát, điều hành đô thị thông minh (IOC)", 3, INF, "java"),
    ("SO-KHCN", PC, "soc", "Hệ thống giám sát an toàn thông tin mạng tỉnh (SOC)", 3, INF, "soc"),
    ("SO-KHCN", None, None, "Cơ sở dữ liệu khoa học và công nghệ", 1, INT, "dotnet"),
    ("VP-UBND", PC, "qlvb", "Hệ thống quản lý văn bản và điều hành", 3, INT, "oracle"),
    ("VP-UBND", PC, "hop", "Hệ thống hội nghị truyền hình trực tuyến", 2, INT, "video"),
    ("VP-UBND", PC, "baocao", "Hệ thống thông tin báo cáo kinh tế - xã hội tỉnh", 2, INT, "dotnet"),
    ("TT-PVHCC", PC, "dichvucong", "Cổng dịch vụ công trực tuyến", 3, CIT, "liferay"),
    ("TT-PVHCC", PC, "motcua", "Hệ thống một cửa điện tử", 3, CIT, "dotnet"),
    ("TT-PVHCC", PC, None, "Kho số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 2, INT, "java"),
    ("SO-TC", PC, None, "Phần mềm quản lý ngân sách và tài sản công", 3, INT, "oracle"),
    ("SO-TC", None, None, "Phần mềm quản lý dự án đầu tư công", 2, INT, "dotnet"),
    ("SO-YTE", PC, "hssk", "Phần mềm quản lý hồ sơ sức khỏe điện tử", 3, CIT, "oracle"),
    ("SO-YTE", None, None, "Hệ thống quản lý tiêm chủng", 2, INT, "java"),
    ("SO-YTE", None, None, "Hệ thống thông tin bệnh viện (HIS) Bệnh viện Đa khoa tỉnh", 3, INT, "dotnet"),
    ("SO-GDDT", PC, None, "Cơ sở dữ liệu ngành giáo dục", 3, INT, "java"),
    ("SO-GDDT", None, "tuyensinh", "Hệ thống tuyển sinh đầu cấp trực tuyến", 2, CIT, "dotnet"),
    ("SO-GDDT", None, "hoctructuyen", "Hệ thống học trực tuyến (LMS)", 2, CIT, "moodle"),
    ("SO-NV", PC, None, "Cơ sở dữ liệu cán bộ, công chức, viên chức", 3, INT, "oracle"),
    ("SO-NV", None, None, "Hệ thống lưu trữ hồ sơ điện tử", 2, INT, "java"),
    ("SO-TP", None, None, "Phần mềm quản lý hộ tịch", 3, INT, "dotnet"),
    ("SO-TP", None, None, "Cơ sở dữ liệu công chứng, chứng thực", 2, INT, "dotnet"),
    ("SO-TP", None, "lltp", "Phần mềm cấp phiếu lý lịch tư pháp trực tuyến", 3, CIT, "java"),
    ("SO-NNMT", PC, None, "Cơ sở dữ liệu đất đai", 3, INT, "oracle"),
    ("SO-NNMT", None, None, "Hệ thống quan trắc môi trường tự động", 3, IND, "scada"),
    ("SO-NNMT", None, None, "Hệ thống cảnh báo mực nước hồ chứa và lũ", 3, IND, "scada"),
    ("SO-XD", PC, None, "Hệ thống camera giám sát giao thông", 2, INF, "camera"),
    ("SO-XD", None, "cpxd", "Phần mềm cấp giấy phép xây dựng", 2, CIT, "dotnet"),
    ("SO-CT", None, "santmdt", "Sàn thương mại điện tử tỉnh", 2, CIT, "wordpress"),
    ("SO-VHTTDL", None, "dulich", "Cổng thông tin du lịch thông minh", 2, CIT, "liferay"),
    ("SO-VHTTDL", None, "ve", "Hệ thống bán vé tham quan điện tử", 2, CIT, "java"),
    ("THANH-TRA", None, None, "Phần mềm quản lý khiếu nại, tố cáo", 2, INT, "dotnet"),
    ("CA-TINH", None, None, "Hệ thống thông tin nghiệp vụ an ninh Công an tỉnh", 5, INT, "oracle"),
    ("CA-TINH", None, "tinbao", "Hệ thống tiếp nhận tin báo tội phạm trực tuyến", 3, CIT, "java"),
    ("BCH-QS", None, None, "Hệ thống thông tin chỉ huy, điều hành Bộ CHQS tỉnh", 4, INT, "oracle"),
    ("BHXH-TINH", None, None, "Phần mềm tiếp nhận hồ sơ một cửa bảo hiểm xã hội", 2, CIT, "dotnet"),
    ("ISP-VNPT", None, "dns", "Hệ thống phân giải tên miền (DNS) VNPT", 3, INF, "dns"),
    ("ISP-VNPT", None, None, "Trung tâm dữ liệu VNPT", 3, INF, "datacentre"),
    ("ISP-VIETTEL", None, "dns", "Hệ thống phân giải tên miền (DNS) Viettel", 3, INF, "dns"),
    ("ISP-VIETTEL", None, None, "Hạ tầng IDC Viettel", 3, INF, "datacentre"),
    ("ISP-FPT", None, None, "Hạ tầng mạng truy nhập Internet cáp quang FPT", 2, INF, "network"),
    ("VENDOR-TRANGAN", None, "soc", "Nền tảng giám sát an toàn thông tin cho khách hàng", 3, INF, "soc"),
)
# Organizations with their own web portal (operator's own domain) and its level; level 2 runs Liferay.
PORTALS = {
    "SO-KHCN": 1,
    "SO-TC": 1,
    "SO-YTE": 2,
    "SO-GDDT": 2,
    "SO-NV": 1,
    "SO-TP": 1,
    "SO-NNMT": 1,
    "SO-XD": 1,
    "SO-CT": 1,
    "SO-VHTTDL": 1,
    "DOI-UCSC": 1,
    "CA-TINH": 2,
    "BCH-QS": 1,
    "BHXH-TINH": 1,
}
CRITICAL_NATIONAL = {
    "Trung tâm dữ liệu tỉnh",
    "Hệ thống thông tin nghiệp vụ an ninh Công an tỉnh",
    "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)",
}
PURPOSES = {
    Type.INTERNAL: "Phục vụ công tác chuyên môn, nghiệp vụ nội bộ của {org}.",
    Type.CITIZEN: "Cung cấp thông tin và dịch vụ trực tuyến cho người dân, doanh nghiệp; do {org} vận hành.",
    Type.INFRASTRUCTURE: "Hạ tầng dùng chung phục vụ các cơ quan, đơn vị trên địa bàn tỉnh {province}.",
    Type.INDUSTRIAL: "Thu thập số liệu, giám sát và điều khiển thiết bị hiện trường của {org}.",
}
APPRAISAL_NOTES = (
    "Hồ sơ đầy đủ; cấp độ đề xuất phù hợp tiêu chí tại Nghị định 85/2016/NĐ-CP.",
    "Thống nhất cấp độ đề xuất; đề nghị hoàn thiện phương án bảo đảm an toàn theo cấp độ.",
    "Đề nghị bổ sung sơ đồ thiết kế và danh mục thiết bị bảo mật trước khi phê duyệt.",
)
# Kind group: (leadership titles, technical titles) for focal points.
TITLES = {
    "state": (
        ("Phó Giám đốc", "Phó Chánh Văn phòng", "Trưởng phòng Kế hoạch - Tổng hợp"),
        ("Chuyên viên CNTT", "Chuyên viên phụ trách an toàn thông tin", "Kỹ sư hệ thống"),
    ),
    "commune": (
        ("Phó Chủ tịch UBND", "Chánh Văn phòng HĐND và UBND"),
        ("Công chức Văn phòng - Thống kê", "Chuyên viên phụ trách CNTT"),
    ),
    "unit": (("Phó Thủ trưởng đơn vị",), ("Nhân viên phụ trách CNTT",)),
    "police": (
        ("Phó Trưởng phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",),
        ("Cán bộ Phòng PA05", "Điều tra viên"),
    ),
    "military": (("Phó Chỉ huy trưởng",), ("Trợ lý Thông tin", "Trợ lý Tác chiến không gian mạng")),
    "company": (("Giám đốc kỹ thuật", "Phó Giám đốc"), ("Kỹ sư vận hành mạng", "Trưởng ca NOC")),
}
ALWAYS_24X7 = {
    Kind.ISP,
    Kind.POLICE,
    Kind.PROV_IR_TEAM,
    Kind.SPECIALISED_UNIT,
    Kind.NATIONAL_COORDINATOR,
    Kind.VENDOR,
}
# Form 01's staff annex of a few members: (full name, position, school, major, field, degree, graduation year,
# international certificates, domestic certificates, expert groups). The other members keep headcounts only.
_F, _D, _G = StaffLine.TrainingField, StaffLine.Degree, StaffLine.ExpertGroup
_BK, _PTIT, _KMA = (
    "Đại học Bách khoa Hà Nội",
    "Học viện Công nghệ Bưu chính Viễn thông",
    "Học viện Kỹ thuật mật mã",
)
STAFF_ANNEXES: dict[str, list[tuple]] = {
    "SO-KHCN": [
        ("Trần Quốc Khánh", "Phó Giám đốc Trung tâm Chuyển đổi số", _BK, "Khoa học máy tính", _F.IT,
         _D.MASTER, 2009, "CISM", "", [_G.SECURITY_MANAGEMENT]),
        ("Nguyễn Thị Thu Hà", "Trưởng phòng An toàn thông tin", _KMA, "An toàn thông tin", _F.SECURITY,
         _D.UNIVERSITY, 2012, "CISSP", "Quản lý an toàn thông tin (Bộ KH&CN)",
         [_G.SECURITY_MANAGEMENT, _G.TESTING]),
        ("Phạm Minh Đức", "Chuyên viên", _PTIT, "Kỹ thuật điện tử, truyền thông", _F.TELECOM, _D.UNIVERSITY,
         2016, "CCNA Security", "", [_G.DEFENCE]),
        ("Lê Hoàng Nam", "Chuyên viên", _KMA, "An toàn thông tin", _F.SECURITY, _D.UNIVERSITY, 2019,
         "CEH", "", [_G.TESTING, _G.PROTECTION]),
    ],
    "DOI-UCSC": [
        ("Vũ Đình Phong", "Đội trưởng", _PTIT, "An toàn thông tin", _F.SECURITY, _D.MASTER, 2011,
         "GCIH", "", [_G.DEFENCE, _G.SECURITY_MANAGEMENT]),
        ("Đặng Thị Lan Anh", "Thành viên", "Đại học Công nghệ, ĐHQG Hà Nội", "Mạng máy tính và truyền thông",
         _F.IT, _D.UNIVERSITY, 2018, "", "Ứng cứu sự cố an toàn thông tin mạng", [_G.PROTECTION]),
    ],
    "SO-YTE": [
        ("Hoàng Văn Tùng", "Phó Chánh Văn phòng", "Đại học Thủy lợi", "Công nghệ thông tin", _F.IT,
         _D.UNIVERSITY, 2010, "", "Quản lý an toàn thông tin (Bộ KH&CN)", [_G.SECURITY_MANAGEMENT]),
        ("Bùi Thị Hương", "Chuyên viên công nghệ thông tin", "Đại học Hoa Lư", "Hệ thống thông tin", _F.IT,
         _D.COLLEGE, 2015, "", "", []),
    ],
}  # fmt: skip
# (username, platform role, organization code, membership role); admin is the superuser, no membership.
LOGINS = (
    ("admin", User.PlatformRole.NONE, None, None),
    ("dieuphoi", User.PlatformRole.COORDINATOR, "SO-KHCN", Role.MANAGER),
    ("quocgia", User.PlatformRole.NATIONAL, "VNCERT-CC", Role.VIEWER),
    ("tinh.xem", User.PlatformRole.NONE, PC, Role.VIEWER),
    ("doiucsc.ungcuu", User.PlatformRole.NONE, "DOI-UCSC", Role.RESPONDER),
    ("syte.quanly", User.PlatformRole.NONE, "SO-YTE", Role.MANAGER),
    ("syte.ungcuu", User.PlatformRole.NONE, "SO-YTE", Role.RESPONDER),
    ("syte.xem", User.PlatformRole.NONE, "SO-YTE", Role.VIEWER),
    ("hoalu.quanly", User.PlatformRole.NONE, "UBND-HOALU", Role.MANAGER),
    ("vnpt.ungcuu", User.PlatformRole.NONE, "ISP-VNPT", Role.RESPONDER),
    ("congan.ungcuu", User.PlatformRole.NONE, "CA-TINH", Role.RESPONDER),
)


class Login(NamedTuple):
    username: str
    role: str
    organization: str


class DemoSummary(NamedTuple):
    """What was created, for the command's report."""

    organizations: int
    focal_points: int
    systems: int
    logins: list[Login]


def build_demo_province(seed: int = DEFAULT_SEED) -> DemoSummary:
    """Create the whole demo province in one transaction; the same seed gives the same data."""
    with transaction.atomic():
        return DemoProvince(seed).build()


def organization_specs(province: str, bodies: dict[str, str]) -> list[OrgSpec]:
    """ORGANIZATIONS with the configured province and body names filled in."""
    return [spec._replace(name=spec.name.format(province=province, **bodies)) for spec in ORGANIZATIONS]


def system_rows() -> list[tuple]:
    """SYSTEMS plus the systems every commune and commune unit runs."""
    portal = "Trang thông tin điện tử {org}"
    rows = list(SYSTEMS)
    rows += [
        (code, None, "", portal, level, CIT, "liferay" if level > 1 else "wordpress")
        for code, level in PORTALS.items()
    ]
    communes = [spec.code for spec in ORGANIZATIONS if spec.kind == COMMUNE]
    for index, code in enumerate(communes):
        rows.append((code, None, "", portal, 1, CIT, "wordpress"))
        if index % 2 == 0:
            rows.append((code, None, None, "Hệ thống camera an ninh trật tự {org}", 2, INF, "camera"))
    for spec in ORGANIZATIONS:
        if spec.parent in communes:
            kind = "nhà trường" if spec.name.startswith("Trường") else "khám chữa bệnh"
            rows.append(
                (spec.code, spec.parent, None, f"Phần mềm quản lý {kind} - {{org}}", 2, INT, "dotnet")
            )
    return rows


def slug(text: str) -> str:
    """ASCII letters and digits of a Vietnamese name: 'Ninh Bình' -> 'ninhbinh'."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _kind_group(kind: str) -> str:
    groups: dict[str, str] = {Kind.COMMUNE: "commune", Kind.POLICE: "police", Kind.MILITARY: "military"}
    return "company" if kind in COMPANY_KINDS else groups.get(kind, "state")


class DemoProvince:
    """Builds the demo province from one seeded random generator, through the real services."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.province = settings.PROVINCE_NAME
        self.bodies = settings.BODY_NAMES
        self.province_label = slug(self.province)
        self.orgs: dict[str, Organization] = {}
        self.specs: dict[str, OrgSpec] = {}
        self.domains: dict[str, str] = {}
        self.focal_points: dict[str, list[FocalPoint]] = {}
        self.managers: dict[str, User] = {}
        self.logins: list[Login] = []
        self.emails: set[str] = set()
        pool = [str(ip) for net in DOC_NETWORKS for ip in ipaddress.ip_network(net).hosts()]
        self.rng.shuffle(pool)
        self.ip_pool = iter(pool)

    def build(self) -> DemoSummary:
        """Organizations, then logins (the coordinator acts below), focal points, and systems."""
        for spec in organization_specs(self.province, self.bodies):
            self.add_organization(spec)
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing is the slow part of a user
        for username, platform_role, code, role in LOGINS:
            self.add_login(username, platform_role, code, role, password)
        self.coordinator = User.objects.get(username="dieuphoi")
        for code in self.orgs:
            self.add_focal_points(code)
        self.record_staff_changes()
        rows = system_rows()
        for row, state in zip(rows, self.dossier_states(len(rows)), strict=True):
            self.add_system(*row, state=state)
        for code, people in STAFF_ANNEXES.items():
            self.add_staff_lines(code, people)
        return DemoSummary(len(self.orgs), FocalPoint.objects.count(), len(rows), self.logins)

    def domain_for(self, spec: OrgSpec) -> str:
        if spec.kind == Kind.NATIONAL_COORDINATOR:  # outside bodies use the reserved .example TLD
            return f"{spec.label}.example"
        if spec.kind in COMPANY_KINDS:
            return f"{spec.label}-{self.province_label}.example"
        return f"{spec.label}.{self.province_label}.gov.vn" if spec.label else f"{self.province_label}.gov.vn"

    def add_organization(self, spec: OrgSpec) -> None:
        """One organization with a realistic form 01 profile."""
        domain = self.domains[spec.code] = self.domain_for(spec)
        parent = self.orgs.get(spec.parent) if spec.parent else None
        has_children = any(other.parent == spec.code for other in ORGANIZATIONS)
        org = Organization(
            code=spec.code, name=spec.name, short_name=spec.short_name, kind=spec.kind, parent=parent
        )
        org.members_see_children, org.owner_name = has_children, self.owner_name(spec, parent)
        org.address, org.phone = self.address(spec), self.office_phone()
        org.email, org.website = f"vanthu@{domain}", f"https://{domain}"
        if spec.member:
            self.fill_network_profile(org, domain, len(self.specs) + 1)
        org.full_clean()
        org.save()
        self.orgs[spec.code], self.specs[spec.code] = org, spec

    def owner_name(self, spec: OrgSpec, parent: Organization | None) -> str:
        if parent is not None:
            return parent.name
        if spec.kind == Kind.NATIONAL_COORDINATOR:
            return self.bodies["STANDING_AGENCY"]
        return CENTRAL_OWNERS.get(spec.kind, "")

    def address(self, spec: OrgSpec) -> str:
        commune = spec if spec.kind == COMMUNE else self.specs.get(spec.parent or "")
        if commune is None or commune.kind != COMMUNE:
            commune = self.rng.choice([o for o in ORGANIZATIONS if o.name.startswith("UBND phường")])
        place = commune.name.removeprefix("UBND ")
        return (
            f"Số {self.rng.randint(1, 250)}, đường {self.rng.choice(STREETS)}, {place}, tỉnh {self.province}"
        )

    def office_phone(self) -> str:
        exchange = self.rng.choice(("3871", "3872", "3873", "3881", "3884"))
        return f"{PHONE_AREA} {exchange} {self.rng.randint(100, 999)}"

    def mobile(self) -> str:
        prefix = self.rng.choice(("091", "094", "098", "097", "086", "088", "036"))
        return f"{prefix}{self.rng.randint(1, 9)} {self.rng.randint(100, 999)} {self.rng.randint(100, 999)}"

    def fill_network_profile(self, org: Organization, domain: str, number: int) -> None:
        """Network members publish intake contacts, staffing and (for the key ones) a PGP key."""
        org.is_network_member, org.member_code = True, f"MLUC-{self.province_label.upper()}-{number:02d}"
        org.intake_address = f"Bộ phận tiếp nhận sự cố, {org.address}"
        org.intake_phone, org.intake_mobile = self.office_phone(), self.mobile()
        org.intake_email = f"ungcuu@{domain}"
        big = org.kind in ALWAYS_24X7
        org.staff_total = self.rng.randint(6, 25) if big else self.rng.randint(1, 6)
        for name in ("staff_security_management", "staff_defence", "staff_protection", "staff_testing"):
            setattr(org, name, self.rng.randint(0, min(3, org.staff_total)))
        org.capacity_summary = f"{org.staff_total} cán bộ kỹ thuật; trực tiếp nhận sự cố " + (
            "24/7." if big else "trong giờ hành chính, ngoài giờ qua điện thoại di động."
        )
        if org.kind in {Kind.SPECIALISED_UNIT, Kind.PROV_IR_TEAM, Kind.NATIONAL_COORDINATOR}:
            digits = f"{self.rng.getrandbits(160):040X}"
            org.pgp_fingerprint = " ".join(digits[i : i + 4] for i in range(0, 40, 4))
            org.pgp_user_id = f"{org.short_name or org.name} <{org.intake_email}>"
            org.pgp_key_url = f"https://{domain}/pgp.asc"

    def person_name(self) -> str:
        female = self.rng.random() < 0.45
        middle = self.rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        given = self.rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        return f"{self.rng.choice(SURNAMES)} {middle} {given}"

    def email_for(self, full_name: str, domain: str) -> str:
        """Vietnamese office style: given name plus initials, 'Nguyễn Văn Hùng' -> hungnv@…"""
        words = fold(full_name).split()
        local = slug(words[-1]) + "".join(slug(w)[0] for w in words[:-1])
        candidate, n = f"{local}@{domain}", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.emails.add(candidate)
        return candidate

    def add_focal_points(self, code: str) -> None:
        """1-3 contacts (at least 2 for network members); the first is the security lead."""
        org, spec = self.orgs[code], self.specs[code]
        count = self.rng.randint(2 if spec.member else 1, 3)
        group = "unit" if org.parent and org.parent.kind == Kind.COMMUNE else _kind_group(spec.kind)
        leaders, technicians = TITLES[group]
        duties = (Duty.SECURITY_LEAD, Duty.INTAKE, Duty.RESPONSE)[:count]
        people = []
        for duty in duties:
            title = self.rng.choice(leaders if duty == Duty.SECURITY_LEAD else technicians)
            always_on = (duty == Duty.INTAKE and spec.kind in ALWAYS_24X7) or self.rng.random() < 0.1
            people.append(self.add_person(org, title=title, duty=duty, is_24x7=always_on))
        org.security_lead_name, org.security_lead_title = people[0].full_name, people[0].title
        org.save(update_fields=["security_lead_name", "security_lead_title"])
        self.focal_points[code] = people

    def record_staff_changes(self) -> None:
        """A promotion, a 24/7 upgrade and a replacement, so the staff-change history is not empty."""
        lead = self.focal_points["SO-YTE"][0]
        update_focal_point(actor=self.coordinator, focal_point=lead, title="Giám đốc", mobile=self.mobile())
        lead.organization.security_lead_title = lead.title
        lead.organization.save(update_fields=["security_lead_title"])
        intake = self.focal_points["ISP-VNPT"][1]
        update_focal_point(
            actor=self.coordinator, focal_point=intake, is_24x7=True, office_phone=self.office_phone()
        )
        leaving = self.focal_points["SO-TP"][-1]
        deactivate_focal_point(actor=self.coordinator, focal_point=leaving)
        successor = self.add_person(leaving.organization, title=leaving.title, duty=leaving.duty)
        self.focal_points["SO-TP"][-1] = successor

    def add_person(self, org: Organization, **fields) -> FocalPoint:
        """A focal point with a fresh name, a mobile, an e-mail and usually an office phone."""
        name = self.person_name()
        office = self.office_phone() if self.rng.random() < 0.7 else ""
        reach = {
            "office_phone": office,
            "mobile": self.mobile(),
            "email": self.email_for(name, self.domains[org.code]),
        }
        return add_focal_point(actor=self.coordinator, organization=org, full_name=name, **reach, **fields)

    def add_staff_lines(self, code: str, people: list[tuple]) -> None:
        """Form 01's annex, one line per person (names family first); the headcounts follow from them."""
        org = self.orgs[code]
        for name, position, school, major, field, degree, year, intl, domestic, groups in people:
            family, given = split_full_name(name)
            line = StaffLine(
                organization=org,
                family_name=family,
                given_name=given,
                position=position,
                school=school,
                major=major,
                training_field=field,
                degree=degree,
                graduation_year=year,
                international_certificates=intl,
                domestic_certificates=domestic,
                expert_groups=list(groups),
            )
            line.full_clean()
            line.save()

    def add_login(self, username: str, platform_role: str, code: str | None, role: str | None, password: str):
        """A demo user; all share one password so the table printed by the command is all one needs."""
        domain = self.domains[code] if code else f"{self.province_label}.gov.vn"
        user = User(
            username=username, password=password, email=f"{username}@{domain}", platform_role=platform_role
        )
        user.last_name, user.first_name = split_full_name(self.person_name())  # family first (core.names)
        user.is_superuser = user.is_staff = code is None
        user.save()
        if code is None:
            self.logins.append(Login(username, "superuser", "—"))
            return
        Membership.objects.create(user=user, organization=self.orgs[code], role=role or Role.VIEWER)
        if role == Role.MANAGER and not platform_role:
            self.managers[code] = user
        label = f"{platform_role} ({role})" if platform_role else str(role)
        self.logins.append(Login(username, label, self.orgs[code].name))

    def dossier_states(self, count: int) -> list[str]:
        """Fixed shares shuffled, so every seed has every state: ~25% proposed, ~20% appraised."""
        proposed, appraised = count // 4, count // 5
        states: list[str] = [*[State.PROPOSED] * proposed, *[State.APPRAISED] * appraised]
        states += [State.APPROVED] * (count - len(states))
        self.rng.shuffle(states)
        return states

    def add_system(self, operator_code, owner_code, host, name, level, system_type, stack, *, state):
        """Register one system as its unit's manager would, then take the dossier to `state`."""
        operator = self.orgs[operator_code]
        owner = self.orgs[owner_code or operator_code]
        os_name, os_versions, services, products = STACKS[stack]
        fields = {
            "name": name.format(org=operator.name),
            "owner": owner,
            "operator": operator,
            "security_level": level,
            "system_type": system_type,
            "purpose": PURPOSES[system_type].format(org=operator.name, province=self.province),
            "is_critical_national": name in CRITICAL_NATIONAL,
            "os_name": os_name,
            "os_version": self.rng.choice(os_versions),
            "services": list(services),
            "controls": self.controls(level),
            "hosting": self.hosting(operator),
            "public_ips": self.public_ips(host, system_type),
            "domains": self.domains_for(host, operator),
            **self.providers(operator),
            **self.check_dates(),
        }
        software = [{"vendor": v, "product": p, "version": self.rng.choice(vs)} for v, p, vs in products]
        contacts = self.rng.sample(
            self.focal_points[operator_code], k=min(2, len(self.focal_points[operator_code]))
        )
        actor = self.managers.get(operator_code, self.coordinator)
        system = register_system(actor=actor, software=software, contacts=contacts, **fields)
        if state != State.PROPOSED:
            note = self.rng.choice(APPRAISAL_NOTES)
            if level >= 4:  # the ministry appraises (NĐ85 Art. 12): the unit records its document
                note = f"Ghi nhận ý kiến thẩm định của Bộ tại văn bản số {100 + system.pk}/BKHCN-CATTT."
            system = appraise_dossier(actor=self.coordinator, system=system, note=note)
        if state == State.APPROVED:
            self.approve(system)

    def approve(self, system: InformationSystem) -> None:
        issuer = "TTg" if system.security_level == 5 else self.specs[system.owner.code].issuer
        number = f"{self.rng.randint(120, 3200)}/QĐ-{issuer}"
        decided = REFERENCE_DATE - datetime.timedelta(days=self.rng.randint(30, 1400))
        note = "Phê duyệt cấp độ theo hồ sơ đề xuất của đơn vị vận hành."
        # NĐ85 Art. 12 (systems.access.approval_refusal): the specialised unit approves levels 1-2 only; a
        # higher level's decision (the owner's, or the Government's) is recorded by the owner's manager, or
        # in the demo by its administrator, who loads these earlier decisions.
        actor = self.coordinator
        if system.security_level > 2:
            actor = self.managers.get(system.owner.code) or User.objects.get(username="admin")
        approve_level(actor=actor, system=system, decision_number=number, decision_date=decided, note=note)

    def controls(self, level: int) -> list[str]:
        wanted = (
            {"firewall", "antivirus"} if level >= 2 else set(self.rng.sample(["firewall", "antivirus"], k=1))
        )
        if level >= 3 or self.rng.random() < 0.2:
            wanted.add("ids")
        if self.rng.random() < 0.25:
            wanted.add("other")
        return [c for c in InformationSystem.Control.values if c in wanted]

    def hosting(self, operator: Organization) -> str:
        if operator.kind in {Kind.ISP, Kind.VENDOR}:
            return Hosting.VENDOR_DC
        if operator.kind in {Kind.POLICE, Kind.MILITARY}:
            return Hosting.ON_PREMISES
        weights = (
            (Hosting.PROVINCIAL_DC,) * 5 + (Hosting.ON_PREMISES,) * 2 + (Hosting.CLOUD, Hosting.VENDOR_DC)
        )
        return self.rng.choice(weights)

    def providers(self, operator: Organization) -> dict[str, str]:
        isps = [o.name for o in self.orgs.values() if o.kind == Kind.ISP]
        if operator.kind in {Kind.ISP, Kind.VENDOR}:
            return {"security_provider": operator.name, "connectivity_provider": self.rng.choice(isps)}
        vendors = [o.name for o in self.orgs.values() if o.kind == Kind.VENDOR]
        security = self.rng.choice([*vendors, *isps, ""])
        return {"security_provider": security, "connectivity_provider": self.rng.choice(isps)}

    def public_ips(self, host: str | None, system_type: str) -> list[str]:
        exposed = host is not None or (system_type == Type.INFRASTRUCTURE and self.rng.random() < 0.5)
        if not exposed:
            return []
        return sorted(next(self.ip_pool) for _ in range(self.rng.choice((1, 1, 1, 2))))

    def domains_for(self, host: str | None, operator: Organization) -> list[str]:
        """'' is the operator's own site; a host label sits under the province (or the company) domain."""
        if host is None:
            return []
        own = self.domains[operator.code]
        if not host:
            return [own]
        return [f"{host}.{own}" if operator.kind in COMPANY_KINDS else f"{host}.{self.province_label}.gov.vn"]

    def check_dates(self) -> dict[str, datetime.date | None]:
        """Last scan, drill and plan update: some missing, some over a year old (stale)."""

        def past(missing: float, oldest: int) -> datetime.date | None:
            if self.rng.random() < missing:
                return None
            return REFERENCE_DATE - datetime.timedelta(days=self.rng.randint(10, oldest))

        return {
            "last_vuln_scan_on": past(0.2, 540),
            "last_drill_on": past(0.35, 800),
            "last_plan_update_on": past(0.25, 900),
        }
