"""The demo's preparedness wording: realistic Vietnamese plan texts, resources, findings, courses."""

from ungcuu.systems.models import InformationSystem

Type = InformationSystem.SystemType

# Library scenarios a plan links, by the kind of system (citizen-facing web, internal, infrastructure…).
PLAN_SCENARIOS: dict[str, list[str]] = {
    Type.CITIZEN: ["ATTACK.DOS", "ATTACK.DEFACEMENT", "ATTACK.SPOOFING", "ATTACK.UNAUTHORIZED_ACCESS"],
    Type.INTERNAL: ["ATTACK.ENCRYPTION", "ATTACK.MALWARE", "ATTACK.UNAUTHORIZED_ACCESS", "ATTACK.ESPIONAGE"],
    Type.INFRASTRUCTURE: ["ATTACK.DOS", "SYSTEM.POWER", "SYSTEM.INTERNET_LINK", "ATTACK.ENCRYPTION"],
    Type.INDUSTRIAL: ["SYSTEM.POWER", "DISASTER.FLOOD", "ATTACK.MALWARE"],
    Type.OTHER: ["ATTACK.MALWARE", "SYSTEM.POWER"],
}
SEVERITY_CRITERIA = (
    "Sự cố nghiêm trọng: sự cố trên hệ thống cấp độ 4, 5 gây ngừng dịch vụ, lộ lọt thông tin bí mật, mất "
    "toàn vẹn dữ liệu quan trọng không khôi phục được, mất quyền kiểm soát hoặc có nguy cơ lan rộng (QĐ05).\n"
    "Sự cố thông thường: các sự cố còn lại, đơn vị vận hành tự xử lý với hỗ trợ của Đội ứng cứu sự cố tỉnh."
)
ROLES = (
    "Lãnh đạo đơn vị: chỉ đạo chung, quyết định phương án ứng cứu.\n"
    "Bộ phận CNTT: tiếp nhận, xác minh, triển khai các bước ưu tiên ban đầu.\n"
    "Đội ứng cứu sự cố tỉnh: hỗ trợ phân tích, ngăn chặn, khắc phục.\n"
    "Doanh nghiệp viễn thông: lọc lưu lượng, chặn truy cập theo yêu cầu điều phối."
)
EXTERNAL = (
    "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh — đường dây nóng 0229 3 888 999.\n"
    "Phòng An ninh mạng và phòng chống tội phạm sử dụng công nghệ cao (PA05) Công an tỉnh.\n"
    "VNPT {province}: trung tâm điều hành mạng (NOC) 24/7.\n"
    "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam (VNCERT/CC): ir@vncert.vn."
)
# (kind, name, quantity, note)
RESOURCES = [
    ("equipment", "Tường lửa thế hệ mới dự phòng", 1, "tại phòng máy chủ"),
    ("equipment", "Máy chủ dự phòng nóng", 2, ""),
    ("equipment", "Thiết bị lưu trữ sao lưu ngoại tuyến (NAS)", 1, ""),
    ("licence", "Bản quyền phần mềm phòng chống mã độc (EDR)", 150, "gia hạn hằng năm"),
    ("licence", "Bản quyền tường lửa ứng dụng web (WAF)", 1, ""),
    ("expert", "Chuyên gia phân tích mã độc", 1, "Đội ƯCSC tỉnh"),
    ("expert", "Kỹ sư quản trị hệ thống trực 24/7", 3, ""),
    ("provider", "Công ty Cổ phần An ninh mạng Tràng An", None, "hợp đồng giám sát SOC"),
    ("provider", "VNPT — dịch vụ chống DDoS", None, "theo hợp đồng kênh truyền"),
]
# A unit-wide plan (no system listed) covers every system the unit operates: the small units' choice.
UNIT_SCENARIOS = ["ATTACK.DEFACEMENT", "ATTACK.MALWARE", "ATTACK.SPOOFING", "SYSTEM.POWER"]
# (finding, severity, follow-up action)
FINDINGS = [
    (
        "Chưa có bản sao lưu ngoại tuyến cho cơ sở dữ liệu",
        "high",
        "Thiết lập sao lưu theo nguyên tắc 3-2-1, kiểm tra khôi phục hằng quý",
    ),
    ("Thời gian phát hiện tấn công vượt quá 2 giờ", "high", "Kết nối nhật ký máy chủ về hệ thống SOC tỉnh"),
    ("Danh bạ đầu mối ứng cứu chưa cập nhật", "medium", "Rà soát, cập nhật danh sách đầu mối, số trực 24/7"),
    (
        "Tài khoản quản trị chưa bật xác thực hai yếu tố",
        "high",
        "Bật xác thực hai yếu tố cho toàn bộ tài khoản quản trị",
    ),
    (
        "Chưa có quy trình thông báo cho nhà mạng khi bị DDoS",
        "medium",
        "Ký thỏa thuận phối hợp chặn lọc lưu lượng với nhà mạng",
    ),
    (
        "Cán bộ chưa nắm quy trình báo cáo ban đầu (mẫu 03)",
        "low",
        "Tổ chức phổ biến quy trình báo cáo sự cố cho cán bộ",
    ),
    ("Phần mềm nền tảng hết hạn hỗ trợ", "medium", "Lập kế hoạch nâng cấp hệ điều hành và máy chủ ứng dụng"),
    ("Chưa tách mạng quản trị khỏi mạng người dùng", "medium", "Phân vùng mạng, tách VLAN quản trị"),
]
# The health department's own scenario for its hospital system: (stage, role, hours, step)
HIS_SCENARIO = (
    "Kịch bản ứng cứu mã độc tống tiền tại Hệ thống thông tin bệnh viện (HIS)",
    "Duy trì khám chữa bệnh khi HIS bị mã hóa: chuyển sang quy trình giấy, khôi phục theo thứ tự ưu tiên.",
    [
        (
            "first_actions",
            "IS_OPERATOR",
            1,
            "Chuyển các khoa sang quy trình giấy, báo Ban Giám đốc bệnh viện",
        ),
        ("first_actions", "IS_OPERATOR", 1, "Ngắt kết nối máy chủ HIS và máy trạm nghi nhiễm khỏi mạng"),
        (
            "coordinating",
            "SPECIALISED_UNIT",
            4,
            "Điều phối Đội ứng cứu sự cố tỉnh và nhà cung cấp phần mềm HIS",
        ),
        ("restored", "IS_OPERATOR", 24, "Khôi phục dữ liệu khám chữa bệnh từ bản sao lưu ngoại tuyến"),
        ("evaluated", "IS_OWNER", 120, "Đánh giá, báo cáo Sở Y tế và đề xuất đầu tư sao lưu dự phòng"),
    ],
)
# (title with {year}, organizer code, provider, topics)
COURSES = [
    (
        "Tập huấn nâng cao nhận thức an toàn thông tin mạng cho cán bộ, công chức năm {year}",
        "SO-KHCN",
        "Đội ứng cứu sự cố tỉnh",
        "Nhận diện thư điện tử lừa đảo; đặt mật khẩu an toàn; báo cáo sự cố.",
    ),
    (
        "Bồi dưỡng kỹ năng ứng cứu sự cố cho thành viên Đội ứng cứu sự cố tỉnh năm {year}",
        "DOI-UCSC",
        "Công ty Cổ phần An ninh mạng Tràng An",
        "Phân tích nhật ký; xử lý mã độc; điều tra số cơ bản.",
    ),
]
HOSPITAL_COURSE = (
    "Tập huấn phòng chống mã độc tống tiền trong bệnh viện",
    "Đội ứng cứu sự cố tỉnh",
    "Sao lưu dữ liệu HIS; nhận diện mã độc; quy trình giấy khi hệ thống ngừng.",
)
POSTS = ("Chuyên viên CNTT", "Quản trị mạng", "Phó trưởng phòng", "Chuyên viên", "Kỹ sư hệ thống")
# (scenario category, topic) of the tabletop exercises
TABLETOPS = [
    ("ATTACK.SPOOFING", "xử lý trang web giả mạo, lừa đảo trực tuyến"),
    ("ATTACK.ESPIONAGE", "xử lý lộ lọt dữ liệu cá nhân"),
    ("SYSTEM.POWER", "mất điện kéo dài tại Trung tâm dữ liệu tỉnh"),
    ("ATTACK.ENCRYPTION", "mã độc tống tiền lây lan diện rộng"),
    ("DISASTER.FLOOD", "bảo vệ phòng máy chủ mùa mưa bão"),
]
UNIT_DRILL_SCENARIOS = ["ATTACK.DOS", "ATTACK.ENCRYPTION", "ATTACK.UNAUTHORIZED_ACCESS", "ATTACK.DEFACEMENT"]
OBJECTIVES = "Kiểm tra khả năng phát hiện, phối hợp và xử lý sự cố theo phương án đã phê duyệt."
DRILL_SUMMARY = "Các đơn vị tham gia đầy đủ; phát hiện một số tồn tại cần khắc phục."
CLOSING_NOTE = "Đã hoàn thành, có báo cáo kèm theo."
