"""Generates the default DOCX templates (python-docx), one per document kind, into `templates_docx/`.

Run `manage.py build_report_templates` after changing the figures or the wording; the generated files are
committed so a deployment needs no build step. The templates are ordinary Word files with docxtpl tags
(`{{ doc.total }}`, `{%tr for r in doc.rows %}`), so an administrator can open one in Word, change the
letterhead or the wording, and drop it into REPORT_TEMPLATE_DIR (see render/docx.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ungcuu.reports.render.docx_writer import CENTER, Template

# --- the documents --------------------------------------------------------------------------------------

FORM05_HEADERS = [
    "TT",
    "Loại hình tấn công",
    "Số lượng sự cố",
    "Tự xử lý",
    "Có sự hỗ trợ của tổ chức trong nước",
    "Có sự hỗ trợ của tổ chức nước ngoài",
    "Đề nghị cơ quan điều phối quốc gia hỗ trợ",
    "Ước tính thiệt hại (đồng)",
]
FORM05_WIDTHS = [0.9, 4.2, 1.6, 1.4, 1.9, 1.9, 2.0, 2.3]


def form05_table(t: Template, rows: str, total: str) -> None:
    t.grid(
        FORM05_HEADERS,
        [
            "{{ loop.index }}",
            "{{ r.label }}",
            "{{ r.count }}",
            "{{ r.self_handled }}",
            "{{ r.domestic_help }}",
            "{{ r.foreign_help }}",
            "{{ r.national_asked }}",
            "{{ r.damage_vnd|vn_number }}",
        ],
        f"r in {rows}",
        total=[
            "",
            "Tổng cộng",
            f"{{{{ {total}.count }}}}",
            f"{{{{ {total}.self_handled }}}}",
            f"{{{{ {total}.domestic_help }}}}",
            f"{{{{ {total}.foreign_help }}}}",
            f"{{{{ {total}.national_asked }}}}",
            f"{{{{ {total}.damage_vnd|vn_number }}}}",
        ],
        widths=FORM05_WIDTHS,
    )


def form05(t: Template) -> None:
    t.h2("I. THÔNG TIN CHUNG")
    t.fields(
        [
            ("Kỳ báo cáo", "'từ tháng ' ~ doc.period.from_month ~ ' đến tháng ' ~ doc.period.to_month"),
            ("Tên cơ quan, tổ chức", "doc.organization"),
            ("Địa chỉ", "doc.address"),
            ("Mã thành viên mạng lưới", "doc.member_code"),
        ]
    )
    t.h2("II. TÌNH HÌNH TIẾP NHẬN VÀ XỬ LÝ SỰ CỐ DO TẤN CÔNG MẠNG")
    form05_table(t, "doc.rows", "doc.total")
    t.h2("III. CÁC TỔ CHỨC ĐÃ HỖ TRỢ XỬ LÝ SỰ CỐ")
    t.h3("1. Tổ chức trong nước")
    t.each("name in doc.helpers_domestic", "- {{ name }}", empty="Không có.")
    t.h3("2. Tổ chức nước ngoài")
    t.each("name in doc.helpers_foreign", "- {{ name }}", empty="Không có.")
    t.h2("IV. ĐỀ XUẤT, KIẾN NGHỊ")
    t.text("doc.proposals")


def incidents(t: Template, s: str, who: str, listing_title: str) -> None:
    t.h3("1.1. Tổng quan")
    t.p(
        f"Trong {{{{ doc.period.label_vi }}}}, {who} ghi nhận {{{{ {s}.total }}}} sự cố an toàn "
        f"thông tin mạng, "
        f"trong đó {{{{ {s}.serious }}}} sự cố nghiêm trọng; đã xử lý xong {{{{ {s}.closed }}}} sự "
        f"cố, hiện còn "
        f"{{{{ {s}.open_now }}}} sự cố đang được xử lý. Thời gian trung vị từ khi nhận báo cáo đến "
        f"khi tiếp nhận "
        f"xử lý: {{{{ {s}.acknowledge_hours|vn_number }}}} giờ; đến khi kết thúc ứng phó: "
        f"{{{{ {s}.close_hours|vn_number }}}} giờ.",
        indent=True,
    )
    t.h3("1.2. Phân loại theo nguyên nhân")
    t.grid(
        ["TT", "Nhóm sự cố", "Số lượng"],
        ["{{ loop.index }}", "{{ t.label }}", "{{ t.count }}"],
        f"t in {s}.by_group",
        total=["", "Tổng cộng", f"{{{{ {s}.total }}}}"],
        widths=[1, 11, 3],
    )
    t.h3("1.3. Sự cố do tấn công mạng (theo Mẫu số 05)")
    form05_table(t, f"{s}.form05", f"{s}.form05_total")
    t.h3("1.4. Diễn biến theo tháng")
    t.p("{{ charts.months }}", align=CENTER)
    t.h3("1.5. Việc thực hiện thời hạn")
    t.grid(
        ["Nghĩa vụ", "Tổng số", "Đúng hạn", "Trễ hạn", "Quá hạn", "Trong hạn"],
        [
            "{{ d.label }}",
            "{{ d.total }}",
            "{{ d.on_time }}",
            "{{ d.late }}",
            "{{ d.overdue }}",
            "{{ d.running }}",
        ],
        f"d in {s}.deadlines",
        widths=[6, 2, 2, 2, 2, 2],
    )
    t.h3(f"1.6. {listing_title}")
    t.grid(
        ["Số hiệu", "Ngày", "Đơn vị vận hành", "Loại sự cố", "Mức độ", "Trạng thái"],
        [
            "{{ i.reference }}",
            "{{ i.reported }}",
            "{{ i.operator }}",
            "{{ i.category }}",
            "{{ i.severity }}",
            "{{ i.status }}",
        ],
        f"i in {s}.listing",
        widths=[3, 2.2, 3.5, 3.5, 2, 2.3],
    )
    t.p("Danh sách không bao gồm các sự cố được yêu cầu giữ bí mật.", italic=True)


def requests(t: Template, rows: str) -> None:
    t.grid(
        ["Loại yêu cầu", "Tổng số", "Trả lời đúng hạn", "Trả lời trễ hạn", "Từ chối", "Đang chờ", "Quá hạn"],
        [
            "{{ r.label }}",
            "{{ r.total }}",
            "{{ r.on_time }}",
            "{{ r.late }}",
            "{{ r.declined }}",
            "{{ r.waiting }}",
            "{{ r.overdue }}",
        ],
        f"r in {rows}",
        widths=[5.5, 1.5, 2, 2, 1.7, 1.7, 1.6],
    )


def registry(t: Template) -> None:
    t.h3("3.1. Hệ thống thông tin")
    t.p(
        "Tổng số {{ doc.systems.total }} hệ thống thông tin đang vận hành, trong đó "
        "{{ doc.systems.approved }} hệ "
        "thống đã được phê duyệt cấp độ. Trong 6 tháng gần nhất, {{ doc.systems.scanned }} hệ "
        "thống đã được rà quét "
        "lỗ hổng; trong 12 tháng gần nhất, {{ doc.systems.drilled }}/{{ doc.systems.level3_up }} "
        "hệ thống cấp độ 3 "
        "trở lên đã được diễn tập và {{ doc.systems.planned }} hệ thống đã cập nhật phương án ứng cứu.",
        indent=True,
    )
    t.grid(
        ["Cấp độ", "Số hệ thống"],
        ["{{ t.code }}", "{{ t.count }}"],
        "t in doc.systems.by_level",
        widths=[4, 4],
    )
    t.h3("3.2. Nhân lực")
    t.p(
        "Tổng số {{ doc.staff.total }} cán bộ làm công tác an toàn thông tin; có kinh nghiệm quản "
        "lý an toàn thông "
        "tin {{ doc.staff.security_management }}, phòng thủ và chống tấn công "
        "{{ doc.staff.defence }}, bảo vệ hệ "
        "thống và ứng dụng {{ doc.staff.protection }}, kiểm tra và đánh giá {{ doc.staff.testing }}.",
        indent=True,
    )


def unit(t: Template) -> None:
    t.p(
        "Thực hiện chế độ báo cáo định kỳ về công tác ứng cứu sự cố an toàn thông tin mạng, "
        "{{ doc.organization }} "
        "báo cáo tình hình, kết quả thực hiện {{ doc.period.label_vi }} như sau:",
        indent=True,
    )
    t.h2("I. TÌNH HÌNH SỰ CỐ AN TOÀN THÔNG TIN MẠNG")
    incidents(t, "doc.incidents", "đơn vị", "Danh sách sự cố trong kỳ")
    t.h2("II. PHỐI HỢP ỨNG CỨU SỰ CỐ")
    t.p("Yêu cầu điều phối đơn vị nhận được trong kỳ:")
    requests(t, "doc.requests_received")
    t.h2("III. HỆ THỐNG THÔNG TIN VÀ NHÂN LỰC")
    registry(t)
    t.h2("IV. ĐÁNH GIÁ CHUNG")
    t.text("doc.narrative")
    t.h2("V. KHÓ KHĂN, VƯỚNG MẮC")
    t.text("doc.difficulties")
    t.h2("VI. ĐỀ XUẤT, KIẾN NGHỊ")
    t.text("doc.proposals")


def province(t: Template) -> None:
    t.p(
        "{{ head.issuer }} báo cáo kết quả công tác ứng cứu sự cố an toàn thông tin mạng trên địa bàn tỉnh "
        "{{ doc.province }} {{ doc.period.label_vi }} như sau:",
        indent=True,
    )
    t.h2("I. TÌNH HÌNH SỰ CỐ AN TOÀN THÔNG TIN MẠNG")
    incidents(t, "doc.incidents", "toàn tỉnh", "Các sự cố nghiêm trọng")
    t.h3("1.7. Sự cố theo loại và theo đơn vị")
    t.p("{{ charts.categories }}", align=CENTER)
    t.grid(
        ["TT", "Đơn vị vận hành", "Số sự cố", "Nghiêm trọng"],
        ["{{ loop.index }}", "{{ r.name }}", "{{ r.count }}", "{{ r.serious }}"],
        "r in doc.by_organization",
        widths=[1, 9, 2.5, 2.5],
    )
    t.h2("II. CÔNG TÁC ĐIỀU PHỐI ỨNG CỨU SỰ CỐ")
    requests(t, "doc.requests")
    t.h2("III. HỆ THỐNG THÔNG TIN VÀ NHÂN LỰC")
    registry(t)
    t.h2("IV. CÔNG TÁC BẢO ĐẢM AN TOÀN THÔNG TIN")
    province_extra(t)
    t.h2("V. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ")
    t.p(
        "Có {{ doc.units.submitted }}/{{ doc.units.expected }} đơn vị đã gửi báo cáo định kỳ (đã tiếp nhận "
        "{{ doc.units.accepted }}). Tổng hợp số liệu các đơn vị báo cáo: {{ doc.units.total }} sự "
        "cố, trong đó "
        "{{ doc.units.attacks }} sự cố do tấn công mạng, {{ doc.units.serious }} sự cố nghiêm trọng.",
        indent=True,
    )
    t.grid(
        ["TT", "Đơn vị", "Tình trạng", "Ngày gửi", "Số sự cố", "Tấn công mạng", "Nghiêm trọng"],
        [
            "{{ loop.index }}",
            "{{ r.organization }}",
            "{{ r.status_label }}",
            "{{ r.submitted_on or '—' }}",
            "{{ r.total if r.total is not none else '—' }}",
            "{{ r.attacks if r.attacks is not none else '—' }}",
            "{{ r.serious if r.serious is not none else '—' }}",
        ],
        "r in doc.units.rows",
        widths=[1, 5, 2.5, 2.2, 1.8, 1.8, 1.7],
    )
    t.h2("VI. ĐỀ XUẤT, KIẾN NGHỊ CỦA CÁC ĐƠN VỊ")
    t.tag("{%p for p in doc.units.proposals %}")
    t.p("{{ p.organization }}:", bold=True)
    t.p("{{ p.text|lines }}", indent=True)
    t.tag("{%p endfor %}")


def province_extra(t: Template) -> None:
    t.tag("{%p if doc.obligations %}")
    t.h3("4.1. Thực hiện nghĩa vụ định kỳ")
    t.p(
        "Trong kỳ có {{ doc.obligations.due }} lượt nghĩa vụ định kỳ đến hạn; đã thực hiện "
        "{{ doc.obligations.done }} lượt ({{ doc.obligations.on_time }} lượt đúng hạn), còn "
        "{{ doc.obligations.overdue }} lượt quá hạn.",
        indent=True,
    )
    t.grid(
        ["Nghĩa vụ", "Đến hạn", "Đã thực hiện", "Đúng hạn", "Quá hạn"],
        ["{{ r.label }}", "{{ r.due }}", "{{ r.done }}", "{{ r.on_time }}", "{{ r.overdue }}"],
        "r in doc.obligations.rows",
        widths=[7, 2, 2.5, 2, 2],
    )
    t.tag("{%p endif %}")
    t.tag("{%p if doc.drills %}")
    t.h3("4.2. Diễn tập, đào tạo và phương án ứng cứu")
    t.p(
        "Trong kỳ đã tổ chức {{ doc.drills.held }} cuộc diễn tập ({{ doc.drills.live_fire }} diễn tập thực "
        "chiến, {{ doc.drills.tabletop }} diễn tập trên bàn); {{ doc.drills.trainings }} khóa đào tạo với "
        "{{ doc.drills.attendees }} lượt học viên; {{ doc.drills.plans_approved }} phương án được phê duyệt.",
        indent=True,
    )
    t.each("line in doc.drills.lines", "- {{ line }}")
    t.tag("{%p endif %}")
    t.tag("{%p if doc.scans %}")
    t.h3("4.3. Rà quét, đánh giá lỗ hổng")
    t.p(
        "Trong kỳ đã thực hiện {{ doc.scans.scans }} lượt rà quét trên {{ doc.scans.hosts }} máy chủ, "
        "phát hiện mới {{ doc.scans.findings }} lỗ hổng; {{ doc.scans.fixed }} lỗ hổng đã được khắc phục; "
        "{{ doc.scans.overdue }} lỗ hổng quá hạn khắc phục.",
        indent=True,
    )
    t.grid(
        ["Mức độ", "Phát hiện mới", "Đã khắc phục", "Chưa khắc phục"],
        ["{{ r.label }}", "{{ r.found }}", "{{ r.fixed }}", "{{ r.unresolved }}"],
        "r in doc.scans.by_severity",
        widths=[6, 3, 3, 3],
    )
    t.tag("{%p endif %}")
    t.tag("{%p if doc.advisories %}")
    t.h3("4.4. Cảnh báo an toàn thông tin")
    t.p(
        "Trong kỳ đã phát hành {{ doc.advisories.total }} cảnh báo tới {{ doc.advisories.targets }} "
        "lượt đơn vị; {{ doc.advisories.acknowledged }} lượt đã xác nhận, "
        "{{ doc.advisories.completed }} lượt đã hoàn thành.",
        indent=True,
    )
    t.each("line in doc.advisories.lines", "- {{ line }}")
    t.tag("{%p endif %}")


def bulletin(t: Template) -> None:
    t.h2("1. Tình hình chung")
    t.p(
        "Trong {{ doc.period.label_vi }}, các cơ quan, đơn vị trên địa bàn tỉnh ghi nhận "
        "{{ doc.total }} sự cố an "
        "toàn thông tin mạng ({{ doc.previous_label }}: {{ doc.previous_total }} sự cố), trong đó "
        "{{ doc.serious }} "
        "sự cố nghiêm trọng. Đơn vị chuyên trách đã gửi {{ doc.requests_total }} yêu cầu điều phối.",
        indent=True,
    )
    t.p("{{ charts.months }}", align=CENTER)
    t.h2("2. Sự cố theo nguyên nhân và theo loại")
    t.p("{{ charts.groups }}", align=CENTER)
    t.grid(
        ["TT", "Loại sự cố", "Số lượng"],
        ["{{ loop.index }}", "{{ t.label }}", "{{ t.count }}"],
        "t in doc.by_category",
        widths=[1, 11, 3],
    )
    t.h2("3. Một số sự cố đáng chú ý")
    t.each(
        "i in doc.notable",
        "- {{ i.reported }}: {{ i.title }} ({{ i.category }})",
        empty="Không có sự cố nào được phép công bố rộng rãi trong kỳ.",
    )
    t.tag("{%p if doc.advisories %}")
    t.h2("Cảnh báo đã phát hành")
    t.each("line in doc.advisories.lines", "- {{ line }}")
    t.tag("{%p endif %}")
    t.h2("Khuyến nghị")
    t.each("r in doc.recommendations", "- {{ r }}")


def contact(t: Template, c: str) -> None:
    t.fields(
        [
            ("Họ và tên", f"{c}.name"),
            ("Chức vụ", f"{c}.title"),
            ("Địa chỉ", f"{c}.address"),
            ("Điện thoại cố định", f"{c}.phone"),
            ("Điện thoại di động", f"{c}.mobile"),
            ("Fax", f"{c}.fax"),
            ("Thư điện tử", f"{c}.email"),
        ]
    )


def profile_common(t: Template, n1: str, n2: str) -> None:
    t.h2(f"{n1}. HỆ THỐNG THÔNG TIN THEO CẤP ĐỘ")
    t.grid(
        ["Cấp độ", "Tên hệ thống", "Tên miền, địa chỉ IP", "Hồ sơ cấp độ"],
        ["{{ s.level }}", "{{ s.name }}", "{{ s.where }}", "{{ s.state }}"],
        "s in doc.levels|map(attribute='systems')|sum(start=[])",
        widths=[1.5, 6.5, 5, 3],
    )
    t.h2(f"{n2}. NHÂN LỰC AN TOÀN THÔNG TIN")
    t.fields(
        [
            ("Tổng số cán bộ làm công tác an toàn thông tin", "doc.staff.total"),
            ("Có kinh nghiệm quản lý an toàn thông tin", "doc.staff.security_management"),
            ("Có kinh nghiệm phòng thủ, chống tấn công", "doc.staff.defence"),
            ("Có kinh nghiệm bảo vệ hệ thống, ứng dụng", "doc.staff.protection"),
            ("Có kinh nghiệm kiểm tra, đánh giá", "doc.staff.testing"),
        ]
    )


def form01(t: Template) -> None:
    t.h2("1. THÔNG TIN VỀ TỔ CHỨC")
    t.fields(
        [
            ("Tên tổ chức", "doc.name"),
            ("Cơ quan chủ quản", "doc.owner"),
            ("Địa chỉ", "doc.address"),
            ("Điện thoại", "doc.phone"),
            ("Fax", "doc.fax"),
            ("Thư điện tử", "doc.email"),
            ("Trang thông tin điện tử", "doc.website"),
            ("Lãnh đạo phụ trách an toàn thông tin", "doc.security_lead_name"),
            ("Chức vụ", "doc.security_lead_title"),
        ]
    )
    t.h2("2. ĐẦU MỐI TIẾP NHẬN THÔNG BÁO SỰ CỐ")
    contact(t, "doc.intake")
    t.h2("3. ĐẦU MỐI ỨNG CỨU SỰ CỐ CHÍNH")
    contact(t, "doc.response")
    t.h2("4. TÓM TẮT NĂNG LỰC")
    t.text("doc.capacity_summary")
    profile_common(t, "5", "6")
    t.h2("7. CAM KẾT")
    t.p(
        "Tổ chức cam kết các thông tin kê khai trên là đúng sự thật và thực hiện đầy đủ trách "
        "nhiệm của thành viên "
        "mạng lưới ứng cứu sự cố theo quy định.",
        indent=True,
    )


def form02(t: Template) -> None:
    t.h2("1. THÔNG TIN VỀ TỔ CHỨC")
    t.fields(
        [
            ("Tên tổ chức", "doc.name"),
            ("Địa chỉ", "doc.address"),
            ("Điện thoại", "doc.phone"),
            ("Fax", "doc.fax"),
            ("Thư điện tử", "doc.email"),
            ("Trang thông tin điện tử", "doc.website"),
        ]
    )
    t.h2("2. GIỚI THIỆU VÀ NĂNG LỰC")
    t.text("doc.capacity_summary")
    profile_common(t, "3", "4")
    t.h2("5. THƯ ĐIỆN TỬ VÀ KHÓA PGP")
    t.fields(
        [
            ("Thư điện tử tiếp nhận sự cố", "doc.intake.email"),
            ("User ID", "doc.pgp_user_id"),
            ("Fingerprint", "doc.pgp_fingerprint"),
            ("Liên kết khóa công khai", "doc.pgp_key_url"),
        ]
    )
    t.h2("6. LIÊN HỆ TRONG GIỜ HÀNH CHÍNH")
    contact(t, "doc.intake")
    t.h2("7. LIÊN HỆ NGOÀI GIỜ HÀNH CHÍNH")
    t.each(
        "c in doc.after_hours",
        "- {{ c.name }}, {{ c.title }}: {{ c.mobile or c.phone }}, {{ c.email }}",
        empty="Chưa khai báo.",
    )
    t.h2("8. LIÊN HỆ LÃNH ĐẠO")
    contact(t, "doc.leadership")
    t.h2("9. CAM KẾT")
    t.p(
        "Tổ chức tự nguyện đăng ký tham gia mạng lưới ứng cứu sự cố, cam kết tuân thủ quy chế "
        "hoạt động của mạng "
        "lưới và các quy định của pháp luật.",
        indent=True,
    )


def form03(t: Template) -> None:
    t.p("Số hiệu sự cố trên hệ thống: {{ doc.reference }}", italic=True)
    t.h2("1. THÔNG TIN NGƯỜI BÁO CÁO")
    t.fields(
        [
            ("Tên tổ chức/cá nhân báo cáo", "doc.reporter_name"),
            ("Địa chỉ", "doc.reporter_address"),
            ("Điện thoại", "doc.reporter_phone"),
            ("Thư điện tử", "doc.reporter_email"),
        ]
    )
    t.h2("2. NGƯỜI LIÊN HỆ")
    t.fields(
        [
            ("Họ và tên", "doc.contact_name"),
            ("Chức vụ", "doc.contact_title"),
            ("Điện thoại", "doc.contact_phone"),
            ("Thư điện tử", "doc.contact_email"),
        ]
    )
    t.h2("3. HỆ THỐNG BỊ SỰ CỐ")
    t.fields(
        [
            ("Đơn vị vận hành", "doc.operator"),
            ("Cơ quan chủ quản", "doc.owner"),
            ("Tên hệ thống", "doc.system"),
            ("Cấp độ", "doc.level"),
            ("Đơn vị cung cấp dịch vụ an toàn thông tin", "doc.security_provider"),
            ("Đơn vị cung cấp kết nối", "doc.connectivity_provider"),
            ("Hệ điều hành, phiên bản", "doc.os"),
            ("Dịch vụ", "doc.services|join(', ')"),
            ("Biện pháp bảo vệ", "doc.controls|join(', ')"),
            ("Địa chỉ IP công khai", "doc.public_ips"),
            ("Tên miền", "doc.domains"),
            ("Mục đích sử dụng", "doc.purpose"),
        ]
    )
    t.h2("4. MÔ TẢ SỰ CỐ")
    t.p("{{ doc.title }} — {{ doc.category }}", bold=True)
    t.text("doc.description")
    t.fields(
        [
            ("Thời điểm phát hiện", "doc.detected_at"),
            ("Tình trạng", "doc.handled"),
            ("Cách thức phát hiện", "doc.detection_methods|join(', ')"),
            ("Được thông báo bởi", "doc.notified_by"),
            ("Đã thông báo cho", "doc.already_notified|join(', ')"),
            ("Thông tin gửi kèm", "doc.attachments|join('; ')"),
            ("Đề nghị giữ bí mật", "'Có' if doc.confidential else 'Không'"),
            ("Đề nghị hỗ trợ", "doc.support_requests"),
            ("Thời điểm báo cáo", "doc.reported_at"),
        ]
    )


def form04(t: Template) -> None:
    t.h2("1. THÔNG TIN NGƯỜI BÁO CÁO")
    t.fields(
        [
            ("Tên tổ chức/cá nhân báo cáo", "doc.reporter_name"),
            ("Địa chỉ", "doc.reporter_address"),
            ("Điện thoại", "doc.reporter_phone"),
            ("Thư điện tử", "doc.reporter_email"),
        ]
    )
    t.h2("2. BÁO CÁO BAN ĐẦU")
    t.fields([("Số hiệu", "doc.reference"), ("Ngày báo cáo ban đầu", "doc.initial_report_date")])
    t.h2("3. HỆ THỐNG BỊ SỰ CỐ")
    t.fields(
        [
            ("Đơn vị vận hành", "doc.operator"),
            ("Cơ quan chủ quản", "doc.owner"),
            ("Tên hệ thống", "doc.system"),
            ("Cấp độ", "doc.level"),
        ]
    )
    t.h2("4. MÔ TẢ SỰ CỐ")
    t.p("{{ doc.title }}", bold=True)
    t.text("doc.description")
    t.fields([("Thời điểm phát hiện", "doc.detected_at"), ("Thời điểm kết thúc", "doc.closed_at")])
    t.h2("5. KẾT QUẢ XỬ LÝ SỰ CỐ")
    t.h3("5.1. Sự cố đã xảy ra")
    t.text("doc.what_happened")
    t.h3("5.2. Cách thức xử lý")
    t.text("doc.how_solved")
    t.h3("5.3. Đề xuất, kiến nghị để tránh sự cố tái diễn")
    t.text("doc.proposals")
    t.h2("6. TÀI LIỆU KÈM THEO")
    t.each("line in doc.progress_reports + doc.attachments", "- {{ line }}", empty="Không có.")


BODIES: dict[str, Callable[[Template], None]] = {
    "form01": form01,
    "form02": form02,
    "form03": form03,
    "form04": form04,
    "form05": form05,
    "unit": unit,
    "province": province,
    "bulletin": bulletin,
}


def build(kind: str) -> Template:
    template = Template()
    template.head()
    BODIES[kind](template)
    template.foot()
    return template


def write_defaults(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in BODIES:
        path = folder / f"{kind}.docx"
        build(kind).save(path)
        written.append(path)
    return written
