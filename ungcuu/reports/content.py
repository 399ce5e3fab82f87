"""What each official document says, as blocks of the one content model (ungcuu.core.nd30.model).

One function per document kind turns the builders' figures into headings, paragraphs, labelled fields,
tables and charts. The DOCX, the PDF (and preview) and the XLSX are all written from these blocks, so the
three formats carry the same content. Documents are in Vietnamese whatever the reader's interface language:
their wording is fixed by the forms (TT20 Appendix I) and Decree 30/2020.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.core.nd30.model import (
    Block,
    Chart,
    Fields,
    Grid,
    Heading,
    Outline,
    Para,
    bullets,
    dash,
    paragraphs,
)
from ungcuu.reports import builders, profiles
from ungcuu.reports.templatetags.report_tags import vn_number

FORM05_COLUMNS = [
    "TT",
    "Loại hình tấn công",
    "Số lượng sự cố",
    "Tự xử lý",
    "Có sự hỗ trợ của tổ chức trong nước",
    "Có sự hỗ trợ của tổ chức nước ngoài",
    "Đề nghị cơ quan điều phối quốc gia hỗ trợ",
    "Ước tính thiệt hại (đồng)",
]
FORM05_WIDTHS = [0.06, 0.26, 0.09, 0.08, 0.12, 0.12, 0.12, 0.15]


def _n(value: Any) -> str:
    return "—" if value is None else str(value)


def as_of_line(as_of) -> list[Block]:
    """When the figures were counted (kept figures have an age: reports.snapshots); in the document's
    language, which is the platform's (documents.Document.paper)."""
    if as_of is None:
        return []
    when = timezone.localtime(as_of).strftime("%H:%M %d/%m/%Y")
    return [Para(_("Figures as of %(when)s") % {"when": when} + ".", indent=False, italic=True)]


# --- shared tables --------------------------------------------------------------------------------------


def form05_grid(rows: list[builders.Form05Row], total: builders.Form05Row, title: str) -> Grid:
    body = [
        [
            i,
            r.label,
            r.count,
            r.self_handled,
            r.domestic_help,
            r.foreign_help,
            r.national_asked,
            vn_number(r.damage_vnd),
        ]
        for i, r in enumerate(rows, start=1)
    ]
    t = total
    body.append(
        [
            "",
            "Tổng cộng",
            t.count,
            t.self_handled,
            t.domestic_help,
            t.foreign_help,
            t.national_asked,
            vn_number(t.damage_vnd),
        ]
    )
    return Grid(
        title,
        FORM05_COLUMNS,
        FORM05_WIDTHS,
        body,
        frozenset(range(2, 8)) | {0},
        total=True,
        landscape_xlsx=True,
    )


def tally_grid(title: str, first: str, tallies: list[builders.Tally], total: int) -> Grid:
    """A count per item with a total; incidents not yet classified get their own row, so it adds up."""
    rows: list[list[Any]] = [[i, t.label, t.count] for i, t in enumerate(tallies, start=1) if t.count]
    rest = total - sum(t.count for t in tallies)
    if rest > 0:
        rows.append([len(rows) + 1, "Chưa phân loại", rest])
    rows.append(["", "Tổng cộng", total])
    return Grid(title, ["TT", first, "Số lượng"], [0.08, 0.72, 0.20], rows, frozenset({0, 2}), total=True)


def requests_grid(title: str, rows: list[builders.RequestRow]) -> Grid:
    columns = [
        "Loại yêu cầu",
        "Tổng số",
        "Trả lời đúng hạn",
        "Trả lời trễ hạn",
        "Từ chối",
        "Đang chờ",
        "Quá hạn",
    ]
    body = [[r.label, r.total, r.on_time, r.late, r.declined, r.waiting, r.overdue] for r in rows]
    return Grid(title, columns, [0.30, 0.10, 0.13, 0.13, 0.11, 0.11, 0.12], body, frozenset(range(1, 7)))


def open_phrase(open_now: int) -> str:
    """ "tất cả đã xử lý xong" rather than "hiện còn 0 sự cố"."""
    if open_now:
        return f"hiện còn {open_now} sự cố đang được xử lý"
    return "không còn sự cố nào đang xử lý"


def incident_blocks(
    out: Outline, s: builders.IncidentSection, period, who: str, listing: str, charts
) -> list:
    blocks: list[Block] = [out.s("Tổng quan")]
    text = (
        f"Trong {period.label_vi}, {who} ghi nhận {s.total} sự cố an toàn thông tin mạng"
        + (f", trong đó {s.serious} sự cố nghiêm trọng" if s.serious else "")
        + (f"; đã xử lý xong {s.closed} sự cố, {open_phrase(s.open_now)}" if s.total else "")
        + (
            f" ({s.confidential} sự cố được yêu cầu giữ bí mật chỉ được tính vào số liệu, không nêu chi tiết)"
            if s.confidential
            else ""
        )
        + "."
    )
    if s.acknowledge_hours is not None:
        text += f" Thời gian trung vị từ khi nhận báo cáo đến khi tiếp nhận xử lý là {vn_number(s.acknowledge_hours)} giờ"
        if s.close_hours is not None:
            text += f", đến khi kết thúc ứng phó là {vn_number(s.close_hours)} giờ"
        text += "."
    blocks.append(Para(text))
    blocks += [
        out.s("Phân loại theo nguyên nhân"),
        tally_grid("Sự cố theo nguyên nhân", "Nhóm sự cố", s.by_group, s.total),
    ]
    blocks += [
        out.s("Sự cố do tấn công mạng (theo Mẫu số 05)"),
        form05_grid(s.form05, s.form05_total, "Sự cố do tấn công mạng"),
    ]
    if "months" in charts:
        blocks += [out.s("Diễn biến theo tháng"), Chart(charts["months"], "Sự cố theo tháng")]
    deadlines = [
        [
            d.label,
            d.total,
            d.on_time,
            d.late,
            d.overdue,
            d.running,
            f"{d.on_time_percent}%" if d.on_time_percent is not None else "—",
        ]
        for d in s.deadlines
    ]
    blocks += [
        out.s("Việc thực hiện thời hạn"),
        Grid(
            "Thời hạn",
            [
                "Nghĩa vụ",
                "Tổng số",
                "Đúng hạn",
                "Trễ hạn",
                "Quá hạn chưa thực hiện",
                "Đang trong hạn",
                "Tỷ lệ đúng hạn",
            ],
            [0.28, 0.10, 0.11, 0.11, 0.14, 0.12, 0.14],
            deadlines,
            frozenset(range(1, 7)),
            empty="Không có thời hạn nào được theo dõi trong kỳ.",
        ),
    ]
    lines = [
        [i.reference, i.reported, i.operator or "—", i.category, i.severity, i.status] for i in s.listing
    ]
    blocks += [
        out.s(listing),
        Grid(
            listing,
            ["Số hiệu", "Ngày", "Đơn vị vận hành", "Loại sự cố", "Mức độ", "Trạng thái"],
            [0.17, 0.13, 0.25, 0.19, 0.12, 0.14],
            lines,
        ),
    ]
    if s.listing_more:
        blocks.append(Para(f"… và {s.listing_more} sự cố khác.", indent=False, italic=True))
    blocks.append(
        Para("Danh sách không bao gồm các sự cố được yêu cầu giữ bí mật.", indent=False, italic=True)
    )
    return blocks


def registry_blocks(out: Outline, sys: builders.SystemsSection, staff: builders.StaffSection) -> list:
    text = (
        f"Tổng số {sys.total} hệ thống thông tin đang vận hành, trong đó {sys.approved} hệ thống đã được phê duyệt "
        "hồ sơ đề xuất cấp độ"
        + (
            f", {sys.critical} hệ thống thuộc Danh mục hệ thống thông tin quan trọng quốc gia"
            if sys.critical
            else ""
        )
        + f". Trong 6 tháng gần nhất, {sys.scanned}/{sys.total} hệ thống đã được rà quét lỗ hổng; trong 12 tháng "
        f"gần nhất, {sys.drilled}/{sys.level3_up} hệ thống cấp độ 3 trở lên đã được diễn tập và "
        f"{sys.planned}/{sys.total} hệ thống đã cập nhật phương án ứng cứu."
    )
    levels = Grid(
        "Hệ thống theo cấp độ",
        [f"Cấp độ {t.code}" for t in sys.by_level] + ["Tổng"],
        [1 / (len(sys.by_level) + 1)] * (len(sys.by_level) + 1),
        [[t.count for t in sys.by_level] + [sys.total]],
        frozenset(range(len(sys.by_level) + 1)),
    )
    return [
        out.s("Hệ thống thông tin"),
        Para(text),
        levels,
        out.s("Nhân lực"),
        Para(
            f"Tổng số {staff.total} cán bộ làm công tác an toàn thông tin; số người có kinh nghiệm theo nhóm chuyên "
            f"môn: quản lý an toàn thông tin {staff.security_management}, phòng thủ và chống tấn công "
            f"{staff.defence}, bảo vệ hệ thống và ứng dụng {staff.protection}, kiểm tra và đánh giá {staff.testing}."
        ),
    ]


# --- documents ------------------------------------------------------------------------------------------


def _form05_period(period) -> str:
    """Form 05's period line: its cut-off days (TT20 Art. 6; core.periods.Period.reporting), else months."""
    if period.is_reporting:
        return f"Từ ngày {period.range_vi}"
    return f"Từ tháng {period.from_month} đến tháng {period.to_month}"


def form05_blocks(doc: builders.Form05, charts) -> list[Block]:
    out = Outline()
    return [
        out.h("THÔNG TIN CHUNG"),
        Fields(
            [
                ("Kỳ báo cáo", _form05_period(doc.period)),
                ("Tên cơ quan, tổ chức", dash(doc.organization)),
                ("Địa chỉ", dash(doc.address)),
                ("Mã thành viên mạng lưới", dash(doc.member_code)),
            ]
        ),
        out.h("TÌNH HÌNH TIẾP NHẬN VÀ XỬ LÝ SỰ CỐ DO TẤN CÔNG MẠNG"),
        form05_grid(doc.rows, doc.total, "Mẫu số 05"),
        *as_of_line(doc.as_of),
        out.h("CÁC TỔ CHỨC ĐÃ HỖ TRỢ XỬ LÝ SỰ CỐ"),
        Heading("1. Tổ chức trong nước", 2),
        *bullets(doc.helpers_domestic),
        Heading("2. Tổ chức nước ngoài", 2),
        *bullets(doc.helpers_foreign),
        out.h("ĐỀ XUẤT, KIẾN NGHỊ"),
        *paragraphs(doc.proposals),
    ]


def unit_blocks(doc: builders.UnitReport, charts) -> list[Block]:
    out = Outline()
    return [
        Para(
            "Thực hiện chế độ báo cáo định kỳ về công tác ứng cứu sự cố an toàn thông tin mạng, "
            f"{doc.organization} báo cáo tình hình, kết quả thực hiện {doc.period.label_vi} như sau:"
        ),
        out.h("TÌNH HÌNH SỰ CỐ AN TOÀN THÔNG TIN MẠNG"),
        *as_of_line(doc.as_of),
        *incident_blocks(out, doc.incidents, doc.period, "đơn vị", "Danh sách sự cố trong kỳ", charts),
        out.h("PHỐI HỢP ỨNG CỨU SỰ CỐ"),
        Para("Yêu cầu điều phối đơn vị nhận được trong kỳ:", indent=False),
        requests_grid("Yêu cầu điều phối nhận được", doc.requests_received),
        out.h("HỆ THỐNG THÔNG TIN VÀ NHÂN LỰC"),
        *registry_blocks(out, doc.systems, doc.staff),
        out.h("ĐÁNH GIÁ CHUNG"),
        *paragraphs(doc.narrative),
        out.h("KHÓ KHĂN, VƯỚNG MẮC"),
        *paragraphs(doc.difficulties),
        out.h("ĐỀ XUẤT, KIẾN NGHỊ"),
        *paragraphs(doc.proposals),
    ]


def _province_extra(out: Outline, doc: builders.ProvinceReport) -> list[Block]:
    blocks: list[Block] = []
    if o := doc.obligations:
        text = f"Trong kỳ có {o.due} lượt nghĩa vụ định kỳ đến hạn; đã thực hiện {o.done} lượt ({o.on_time} lượt đúng hạn)"
        text += f", còn {o.overdue} lượt quá hạn." if o.overdue else ", không có lượt nào quá hạn."
        blocks += [out.s("Thực hiện nghĩa vụ định kỳ"), Para(text)]
        rows = [[r.label, r.due, r.done, r.on_time, r.overdue] for r in o.rows]
        blocks.append(
            Grid(
                "Nghĩa vụ định kỳ",
                ["Nghĩa vụ", "Đến hạn", "Đã thực hiện", "Đúng hạn", "Quá hạn"],
                [0.52, 0.12, 0.12, 0.12, 0.12],
                rows,
                frozenset(range(1, 5)),
            )
        )
    if d := doc.drills:
        text = f"Trong kỳ đã tổ chức {d.held} cuộc diễn tập ({d.live_fire} diễn tập thực chiến, {d.tabletop} diễn tập trên bàn)"
        text += f", còn {d.planned} cuộc theo kế hoạch chưa tổ chức" if d.planned else ""
        text += (
            f"; {d.trainings} khóa đào tạo, huấn luyện với {d.attendees} lượt học viên; "
            f"{d.plans_approved} phương án ứng cứu sự cố được phê duyệt."
        )
        blocks += [out.s("Diễn tập, đào tạo và phương án ứng cứu"), Para(text), *bullets(d.lines, empty="")]
    if v := doc.scans:
        fixed_found = sum(r.fixed for r in v.by_severity)
        text = (
            f"Trong kỳ đã thực hiện {v.scans} lượt rà quét trên {v.hosts} máy chủ, phát hiện mới {v.findings} lỗ "
            f"hổng, trong đó {fixed_found} lỗ hổng đã được khắc phục"
        )
        if v.fixed != fixed_found:
            text += f"; tổng số lỗ hổng được khắc phục trong kỳ (kể cả lỗ hổng phát hiện từ kỳ trước) là {v.fixed}"
        text += (
            f"; {v.overdue} lỗ hổng quá hạn khắc phục."
            if v.overdue
            else "; không có lỗ hổng quá hạn khắc phục."
        )
        rows = [[r.label, r.found, r.fixed, r.unresolved] for r in v.by_severity]
        blocks += [
            out.s("Rà quét, đánh giá lỗ hổng"),
            Para(text),
            Grid(
                "Lỗ hổng phát hiện mới",
                ["Mức độ", "Phát hiện mới", "Đã khắc phục", "Chưa khắc phục"],
                [0.34, 0.22, 0.22, 0.22],
                rows,
                frozenset({1, 2, 3}),
            ),
        ]
    if a := doc.advisories:
        text = (
            f"Trong kỳ đã phát hành {a.total} cảnh báo tới {a.targets} lượt đơn vị; {a.acknowledged} lượt đã xác "
            f"nhận, {a.completed} lượt đã hoàn thành khắc phục."
        )
        blocks += [out.s("Cảnh báo an toàn thông tin"), Para(text), *bullets(a.lines, empty="")]
    return [b for b in blocks if not (isinstance(b, Para) and not b.text)]


def province_blocks(doc: builders.ProvinceReport, charts, issuer: str = "") -> list[Block]:
    out = Outline()
    blocks: list[Block] = [
        Para(
            f"{issuer} báo cáo kết quả công tác ứng cứu sự cố an toàn thông tin mạng trên địa bàn tỉnh "
            f"{doc.province} {doc.period.label_vi} như sau:"
        ),
        out.h("TÌNH HÌNH SỰ CỐ AN TOÀN THÔNG TIN MẠNG"),
        *as_of_line(doc.as_of),
        *incident_blocks(out, doc.incidents, doc.period, "toàn tỉnh", "Các sự cố nghiêm trọng", charts),
        out.s("Sự cố theo loại và theo đơn vị"),
    ]
    if "categories" in charts:
        blocks.append(Chart(charts["categories"], "Sự cố theo loại"))
    rows = [[i, r.name, r.count, r.serious] for i, r in enumerate(doc.by_organization, start=1)]
    blocks.append(
        Grid(
            "Sự cố theo đơn vị",
            ["TT", "Đơn vị vận hành", "Số sự cố", "Nghiêm trọng"],
            [0.08, 0.60, 0.16, 0.16],
            rows,
            frozenset({0, 2, 3}),
        )
    )
    blocks += [
        out.h("CÔNG TÁC ĐIỀU PHỐI ỨNG CỨU SỰ CỐ"),
        Para("Yêu cầu điều phối (Mẫu số 06) đã gửi trong kỳ:", indent=False),
        requests_grid("Yêu cầu điều phối đã gửi", doc.requests),
        out.h("HỆ THỐNG THÔNG TIN VÀ NHÂN LỰC"),
        *registry_blocks(out, doc.systems, doc.staff),
    ]
    extra_out = Outline()
    extra_out.section = out.section + 1
    extra = _province_extra(extra_out, doc)
    if extra:
        blocks += [out.h("CÔNG TÁC BẢO ĐẢM AN TOÀN THÔNG TIN"), *extra]
    u = doc.units
    blocks += [
        out.h("TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ"),
        Para(
            f"Có {u.submitted}/{u.expected} đơn vị đã gửi báo cáo định kỳ {doc.period.label_vi} (đã tiếp nhận "
            f"{u.accepted} báo cáo). Tổng hợp số liệu các đơn vị báo cáo: {u.total} sự cố, trong đó {u.attacks} sự "
            f"cố do tấn công mạng, {u.serious} sự cố nghiêm trọng."
        ),
        Grid(
            "Báo cáo của các đơn vị",
            ["TT", "Đơn vị", "Tình trạng", "Ngày gửi", "Số sự cố", "Tấn công mạng", "Nghiêm trọng"],
            [0.06, 0.34, 0.15, 0.12, 0.11, 0.11, 0.11],
            [
                [
                    i,
                    r.organization,
                    r.status_label,
                    r.submitted_on or "—",
                    _n(r.total),
                    _n(r.attacks),
                    _n(r.serious),
                ]
                for i, r in enumerate(u.rows, start=1)
            ],
            frozenset({0, 4, 5, 6}),
        ),
        out.h("ĐỀ XUẤT, KIẾN NGHỊ CỦA CÁC ĐƠN VỊ"),
    ]
    for p in u.proposals:
        blocks += [Para(f"{p.organization}:", indent=False, bold=True), *paragraphs(p.text)]
    if not u.proposals:
        blocks.append(Para("Không có.", indent=False))
    return blocks


def bulletin_blocks(doc: builders.Bulletin, charts) -> list[Block]:
    out = Outline(roman=False)
    change = ""
    if doc.change_percent is not None:
        word = "tăng" if doc.change_percent >= 0 else "giảm"
        change = f" ({word} {abs(doc.change_percent)}% so với {doc.previous_label})"
    blocks: list[Block] = [
        out.h("Tình hình chung"),
        Para(
            f"Trong {doc.period.label_vi}, các cơ quan, đơn vị trên địa bàn tỉnh ghi nhận {doc.total} sự cố an toàn "
            f"thông tin mạng{change}"
            + (f", trong đó {doc.serious} sự cố nghiêm trọng" if doc.serious else "")
            + f". Đơn vị chuyên trách đã gửi {doc.requests_total} yêu cầu điều phối tới các cơ quan, doanh nghiệp "
            "để hỗ trợ xử lý."
        ),
    ]
    if "months" in charts:
        blocks.append(Chart(charts["months"], "Sự cố theo tháng"))
    blocks.append(out.h("Sự cố theo nguyên nhân và theo loại"))
    if "groups" in charts:
        blocks.append(Chart(charts["groups"], "Sự cố theo nguyên nhân"))
    blocks.append(tally_grid("Sự cố theo loại", "Loại sự cố", doc.by_category, doc.total))
    blocks.append(out.h("Một số sự cố đáng chú ý"))
    notable = [f"{i.reported}: {i.title} ({i.category}; {i.status.lower()})." for i in doc.notable]
    blocks += bullets(notable, empty="Không có sự cố nào được phép công bố rộng rãi trong kỳ.")
    if doc.advisories and doc.advisories.lines:
        blocks += [out.h("Cảnh báo đã phát hành"), *bullets(doc.advisories.lines)]
    blocks += [out.h("Khuyến nghị"), *bullets(doc.recommendations)]
    return blocks


def _contact(c: profiles.Contact | None) -> list[Block]:
    if c is None:
        return [Para("Chưa khai báo.", indent=False)]
    rows = [("Họ và tên", c.name), ("Chức vụ", c.title)] if c.name else []
    rows += [
        ("Địa chỉ", dash(c.address)),
        ("Điện thoại cố định", dash(c.phone)),
        ("Điện thoại di động", dash(c.mobile)),
        ("Fax", dash(c.fax)),
        ("Thư điện tử", dash(c.email)),
    ]
    return [Fields([(label, dash(value)) for label, value in rows])]


ANNEX_COLUMNS = [
    "TT",
    "Họ và tên",
    "Chức vụ",
    "Trường đào tạo",
    "Chuyên ngành",
    "Trình độ",
    "Năm tốt nghiệp",
    "Chứng chỉ",
    "Nhóm chuyên môn có kinh nghiệm",
]
ANNEX_WIDTHS = [0.065, 0.15, 0.11, 0.14, 0.11, 0.10, 0.095, 0.095, 0.135]


def _headcount_grid(title: str, first: str, rows: list[tuple[str, int]]) -> Grid:
    return Grid(title, [first, "Số người"], [0.80, 0.20], [[label, n] for label, n in rows], frozenset({1}))


def _staff_annex(out: Outline, annex: profiles.StaffAnnex) -> list[Block]:
    """Form 01's annex: headcounts by field of training, degree and certificate, then one line per person.
    Without lines the form prints the declared headcounts above and says the list is not declared."""
    if not annex.lines:
        return [Para("Danh sách cán bộ theo từng người: chưa kê khai.", indent=False, italic=True)]
    people = [
        [i, p.name, p.position, p.school, p.major, p.degree, p.graduation_year or "—", p.certificates or "—",
         p.expert_groups or "—"]
        for i, p in enumerate(annex.lines, 1)
    ]  # fmt: skip
    return [
        out.s("Số người theo lĩnh vực đào tạo, trình độ và chứng chỉ"),
        _headcount_grid("Theo lĩnh vực đào tạo", "Lĩnh vực đào tạo", annex.by_training_field),
        _headcount_grid("Theo trình độ", "Trình độ", annex.by_degree),
        Grid(
            "Theo chứng chỉ",
            ["Chứng chỉ (quốc tế, trong nước)", "Số người"],
            [0.80, 0.20],
            [[label, n] for label, n in annex.by_certificate],
            frozenset({1}),
            empty="Không có người có chứng chỉ.",
        ),
        out.s("Danh sách cán bộ"),
        Grid("Danh sách cán bộ", ANNEX_COLUMNS, ANNEX_WIDTHS, people, frozenset({0, 6}), landscape_xlsx=True),
    ]


def _systems_and_staff(out: Outline, doc: profiles.MemberProfile) -> list[Block]:
    rows = []
    for g in doc.levels:
        rows += [[g.level, s.name, s.where or "—", s.state] for s in g.systems] or [
            [g.level, "Không có", "", ""]
        ]
    staff = doc.staff
    return [
        out.h("HỆ THỐNG THÔNG TIN THEO CẤP ĐỘ"),
        Grid(
            "Hệ thống thông tin",
            ["Cấp độ", "Tên hệ thống", "Tên miền, địa chỉ IP", "Hồ sơ cấp độ"],
            [0.10, 0.38, 0.30, 0.22],
            rows,
            frozenset({0}),
        ),
        out.h("NHÂN LỰC AN TOÀN THÔNG TIN"),
        Grid(
            "Nhân lực",
            ["Nội dung", "Số người"],
            [0.80, 0.20],
            [
                ["Tổng số cán bộ làm công tác an toàn thông tin", staff.total],
                ["Có kinh nghiệm quản lý an toàn thông tin", staff.security_management],
                ["Có kinh nghiệm phòng thủ, chống tấn công", staff.defence],
                ["Có kinh nghiệm bảo vệ hệ thống, ứng dụng", staff.protection],
                ["Có kinh nghiệm kiểm tra, đánh giá", staff.testing],
            ],
            frozenset({1}),
        ),
        *_staff_annex(out, doc.annex),
    ]


def form01_blocks(doc: profiles.MemberProfile, charts) -> list[Block]:
    out = Outline(roman=False)
    lead = doc.security_lead_name + (f" ({doc.security_lead_title})" if doc.security_lead_title else "")
    return [
        out.h("THÔNG TIN VỀ TỔ CHỨC"),
        Fields(
            [
                ("Tên tổ chức", doc.name),
                ("Cơ quan chủ quản", dash(doc.owner)),
                ("Địa chỉ", dash(doc.address)),
                ("Điện thoại", dash(doc.phone)),
                ("Fax", dash(doc.fax)),
                ("Thư điện tử", dash(doc.email)),
                ("Trang thông tin điện tử", dash(doc.website)),
                ("Lãnh đạo phụ trách an toàn thông tin", dash(lead)),
                ("Mã thành viên mạng lưới", dash(doc.member_code)),
            ]
        ),
        out.h("ĐẦU MỐI TIẾP NHẬN THÔNG BÁO SỰ CỐ"),
        *_contact(doc.intake),
        out.h("ĐẦU MỐI ỨNG CỨU SỰ CỐ CHÍNH"),
        *_contact(doc.response),
        out.h("TÓM TẮT NĂNG LỰC"),
        *paragraphs(doc.capacity_summary, empty="Chưa khai báo."),
        *_systems_and_staff(out, doc),
        out.h("CAM KẾT"),
        Para(
            "Tổ chức cam kết các thông tin kê khai trên là đúng sự thật và thực hiện đầy đủ trách nhiệm của thành "
            "viên mạng lưới ứng cứu sự cố theo quy định."
        ),
    ]


def form02_blocks(doc: profiles.MemberProfile, charts) -> list[Block]:
    out = Outline(roman=False)
    after_hours: list[Block] = [b for c in doc.after_hours for b in _contact(c)] or [
        Para("Chưa khai báo.", indent=False)
    ]
    leader = doc.leadership
    postal = [
        ("Người nhận", dash(leader.name if leader else doc.security_lead_name)),
        ("Chức vụ", dash(leader.title if leader else doc.security_lead_title)),
        ("Cơ quan, tổ chức", doc.name),
        ("Địa chỉ", dash(doc.address)),
        ("Điện thoại", dash(doc.phone)),
    ]
    return [
        out.h("THÔNG TIN VỀ TỔ CHỨC"),
        Fields(
            [
                ("Tên tổ chức", doc.name),
                ("Địa chỉ", dash(doc.address)),
                ("Điện thoại", dash(doc.phone)),
                ("Fax", dash(doc.fax)),
                ("Thư điện tử", dash(doc.email)),
                ("Trang thông tin điện tử", dash(doc.website)),
            ]
        ),
        out.h("GIỚI THIỆU VÀ NĂNG LỰC"),
        *paragraphs(doc.capacity_summary, empty="Chưa khai báo."),
        *_systems_and_staff(out, doc),
        out.h("THƯ ĐIỆN TỬ VÀ KHÓA PGP"),
        Fields(
            [
                ("Thư điện tử tiếp nhận sự cố", dash(doc.intake.email)),
                ("User ID", dash(doc.pgp_user_id)),
                ("Fingerprint", dash(doc.pgp_fingerprint)),
                ("Liên kết khóa công khai", dash(doc.pgp_key_url)),
            ]
        ),
        out.h("LIÊN HỆ TRONG GIỜ HÀNH CHÍNH"),
        *_contact(doc.intake),
        out.h("LIÊN HỆ NGOÀI GIỜ HÀNH CHÍNH"),
        *after_hours,
        out.h("LIÊN HỆ LÃNH ĐẠO"),
        Para(
            "(Chỉ sử dụng khi không liên lạc được các đầu mối trên hoặc khi có sự cố nghiêm trọng.)",
            indent=False,
            italic=True,
        ),
        *_contact(leader),
        out.h("ĐỊA CHỈ NHẬN THƯ"),
        Fields(postal),
        out.h("NHẮN TIN TỨC THỜI (NẾU CÓ)"),
        Fields([("Ứng dụng, tài khoản", "—")]),
        out.h("CAM KẾT"),
        Para(
            "Tổ chức tự nguyện đăng ký tham gia mạng lưới ứng cứu sự cố, cam kết tuân thủ quy chế hoạt động của mạng "
            "lưới và các quy định của pháp luật."
        ),
    ]


NOT_GIVEN = "Không cung cấp"


def given(value) -> str:
    """A mandatory item of form 03 the report did not give: said so in words, never filled in."""
    return NOT_GIVEN if value in (None, "", []) else dash(value)


def form03_blocks(doc: profiles.InitialReport, charts) -> list[Block]:
    out = Outline(roman=False)
    detection = given(doc.detection_methods) + (f" ({doc.notified_by})" if doc.notified_by else "")
    return [
        Para(f"Số hiệu sự cố trên hệ thống: {doc.reference}", indent=False, italic=True),
        out.h("THÔNG TIN NGƯỜI BÁO CÁO"),
        Fields(
            [
                ("Tên tổ chức/cá nhân báo cáo", dash(doc.reporter_name)),
                ("Địa chỉ", dash(doc.reporter_address)),
                ("Điện thoại", dash(doc.reporter_phone)),
                ("Thư điện tử", dash(doc.reporter_email)),
            ]
        ),
        out.h("NGƯỜI LIÊN HỆ"),
        Fields(
            [
                ("Họ và tên", given(doc.contact_name)),
                ("Chức vụ", dash(doc.contact_title)),
                ("Điện thoại", given(doc.contact_phone)),
                ("Thư điện tử", given(doc.contact_email)),
            ]
        ),
        out.h("HỆ THỐNG BỊ SỰ CỐ"),
        Fields(
            [
                ("Đơn vị vận hành", dash(doc.operator)),
                ("Cơ quan chủ quản", dash(doc.owner)),
                ("Tên hệ thống", dash(doc.system)),
                ("Cấp độ", dash(doc.level)),
                ("Đơn vị cung cấp dịch vụ an toàn thông tin", dash(doc.security_provider)),
                ("Đơn vị cung cấp kết nối", dash(doc.connectivity_provider)),
                ("Hệ điều hành, phiên bản", dash(doc.os)),
                ("Dịch vụ", dash(doc.services)),
                ("Biện pháp bảo vệ", dash(doc.controls)),
                ("Địa chỉ IP công khai", dash(doc.public_ips)),
                ("Tên miền", dash(doc.domains)),
                ("Mục đích sử dụng", dash(doc.purpose)),
            ]
        ),
        out.h("MÔ TẢ SỰ CỐ"),
        Para(doc.title + (f" — {doc.category}" if doc.category else ""), indent=False, bold=True),
        *paragraphs(doc.description),
        Fields(
            [
                ("Tấn công đã thành công", given(doc.attack_succeeded)),
                ("Nguy cơ gây gián đoạn hoạt động", given(doc.disruption_risk)),
                ("Mức độ nhạy cảm của dữ liệu", given(doc.data_sensitivity)),
                ("Đối tượng bị ảnh hưởng", given(doc.affected)),
                ("Thời điểm phát hiện", dash(doc.detected_at)),
                ("Tình trạng", given(doc.handled)),
                ("Cách thức phát hiện", detection),
                ("Đã thông báo cho", given(doc.already_notified)),
                ("Thông tin gửi kèm", dash(doc.attachments) if doc.attachments else "Không có"),
                ("Đề nghị giữ bí mật", "Có" if doc.confidential else "Không"),
                ("Đề nghị hỗ trợ", dash(doc.support_requests)),
                ("Thời điểm báo cáo", dash(doc.reported_at)),
            ]
        ),
    ]


def form04_blocks(doc: profiles.ClosingForm, charts) -> list[Block]:
    out = Outline(roman=False)
    attachments = [*doc.progress_reports, *doc.attachments]
    return [
        out.h("THÔNG TIN NGƯỜI BÁO CÁO"),
        Fields(
            [
                ("Tên tổ chức/cá nhân báo cáo", dash(doc.reporter_name)),
                ("Địa chỉ", dash(doc.reporter_address)),
                ("Điện thoại", dash(doc.reporter_phone)),
                ("Thư điện tử", dash(doc.reporter_email)),
            ]
        ),
        out.h("BÁO CÁO BAN ĐẦU"),
        Fields([("Số hiệu", doc.reference), ("Ngày báo cáo ban đầu", dash(doc.initial_report_date))]),
        out.h("HỆ THỐNG BỊ SỰ CỐ"),
        Fields(
            [
                ("Đơn vị vận hành", dash(doc.operator)),
                ("Cơ quan chủ quản", dash(doc.owner)),
                ("Tên hệ thống", dash(doc.system)),
                ("Cấp độ", dash(doc.level)),
            ]
        ),
        out.h("MÔ TẢ SỰ CỐ"),
        Para(doc.title, indent=False, bold=True),
        *paragraphs(doc.description),
        Fields([("Thời điểm phát hiện", dash(doc.detected_at)), ("Thời điểm kết thúc", dash(doc.closed_at))]),
        out.h("KẾT QUẢ XỬ LÝ SỰ CỐ"),
        out.s("Sự cố đã xảy ra"),
        *paragraphs(doc.what_happened),
        out.s("Cách thức xử lý"),
        *paragraphs(doc.how_solved),
        out.s("Đề xuất, kiến nghị để tránh sự cố tái diễn"),
        *paragraphs(doc.proposals),
        out.h("TÀI LIỆU KÈM THEO"),
        *bullets(attachments),
    ]


CONTENT: dict[str, Callable[..., list[Block]]] = {
    "form01": form01_blocks,
    "form02": form02_blocks,
    "form03": form03_blocks,
    "form04": form04_blocks,
    "form05": form05_blocks,
    "unit": unit_blocks,
    "province": province_blocks,
    "bulletin": bulletin_blocks,
}
