"""The provincial scenario library: reference content every unit may link into its plan.

The text is frozen here (not imported from the app) so that the migration writes the same rows whenever
it runs. Steps follow QĐ05 Art. 13 (normal procedure); VNCERT's 24-hour takedown practice sets the ISP
steps. A scenario already present (same category and title in the library) is left alone.
"""

from django.db import migrations

from ungcuu.core.text import fold_many

FIRST, OPTION, COORD = "first_actions", "option_chosen", "coordinating"
CONTAIN, ERADICATE, RESTORE, EVALUATE = "contained", "eradicated", "restored", "evaluated"
OP, OWNER, UNIT, TEAM = "IS_OPERATOR", "IS_OWNER", "SPECIALISED_UNIT", "PROV_IR_TEAM"
ISP, POLICE, VENDOR, NATIONAL = "ISP", "POLICE", "SEC_SERVICE_PROVIDER", "NATIONAL_COORDINATOR"

# (category, title, description, [(stage, owner role, due after hours, step, detail), ...])
LIBRARY = [
    (
        "ATTACK.DOS",
        "Kịch bản ứng cứu tấn công từ chối dịch vụ (DDoS) vào cổng thông tin",
        "Lưu lượng truy cập tăng đột biến từ nhiều nguồn làm cổng/trang thông tin điện tử phản hồi chậm "
        "hoặc ngừng phục vụ. Mục tiêu: duy trì dịch vụ thiết yếu, lọc lưu lượng tấn công cùng doanh nghiệp "
        "viễn thông, thu thập chứng cứ.",
        [
            (FIRST, OP, 1, "Xác nhận dấu hiệu DDoS, ghi nhận thời điểm và các dịch vụ bị ảnh hưởng",
             "Kiểm tra băng thông, số kết nối, tải CPU của máy chủ web và thiết bị cân bằng tải."),
            (FIRST, OP, 2, "Lưu giữ nhật ký tường lửa, máy chủ web và thiết bị mạng trong thời gian tấn công", ""),
            (OPTION, TEAM, 4, "Đánh giá quy mô tấn công và chọn phương án lọc lưu lượng",
             "Giới hạn tốc độ, chặn theo quốc gia/ASN, bật chế độ chống DDoS của CDN hoặc chuyển sang trang tĩnh."),
            (COORD, UNIT, 4, "Đề nghị doanh nghiệp viễn thông lọc/chặn lưu lượng tấn công ở thượng nguồn", ""),
            (CONTAIN, OP, 6, "Áp dụng giới hạn tốc độ và danh sách chặn trên tường lửa, WAF", ""),
            (RESTORE, OP, 24, "Khôi phục dịch vụ đầy đủ và theo dõi lưu lượng liên tục 48 giờ", ""),
            (EVALUATE, UNIT, 72, "Đánh giá, rút kinh nghiệm; cập nhật ngưỡng cảnh báo và phương án", ""),
        ],
    ),
    (
        "ATTACK.DEFACEMENT",
        "Kịch bản ứng cứu tấn công thay đổi giao diện trang thông tin điện tử",
        "Trang chủ hoặc trang con bị thay nội dung xuyên tạc. Mục tiêu: gỡ nội dung trong vòng 24 giờ, "
        "đóng lỗ hổng bị khai thác, giữ chứng cứ cho cơ quan công an.",
        [
            (FIRST, OP, 1, "Tạm dừng trang bị thay đổi hoặc chuyển sang trang thông báo bảo trì", ""),
            (FIRST, OP, 2, "Chụp ảnh màn hình, sao lưu mã nguồn và nhật ký truy cập trước khi khôi phục",
             "Tính mã băm SHA-256 của các tệp thu thập để bảo đảm tính toàn vẹn của chứng cứ."),
            (OPTION, TEAM, 4, "Xác định lỗ hổng bị khai thác (CMS, plugin, tài khoản quản trị)", ""),
            (COORD, UNIT, 12, "Đề nghị gỡ bỏ các bản sao nội dung xấu và thông báo cho Công an tỉnh", ""),
            (ERADICATE, OP, 24, "Xóa webshell, mã độc; vá lỗ hổng; đổi toàn bộ mật khẩu quản trị", ""),
            (RESTORE, OP, 24, "Khôi phục trang từ bản sao lưu sạch và rà quét lại trước khi mở", ""),
            (EVALUATE, UNIT, 72, "Lập báo cáo kết thúc (mẫu 04) và đề xuất biện pháp phòng ngừa", ""),
        ],
    ),
    (
        "ATTACK.ENCRYPTION",
        "Kịch bản ứng cứu mã độc tống tiền mã hóa dữ liệu (ransomware)",
        "Tệp dữ liệu trên máy chủ hoặc máy trạm bị mã hóa, xuất hiện thông báo đòi tiền chuộc. Không trả "
        "tiền chuộc; cô lập, xác định phạm vi lây nhiễm và khôi phục từ bản sao lưu.",
        [
            (FIRST, OP, 1, "Ngắt kết nối mạng các máy bị mã hóa; không tắt nguồn nếu chưa thu thập bộ nhớ", ""),
            (FIRST, OP, 2, "Khóa tài khoản quản trị miền, đổi mật khẩu các tài khoản đặc quyền", ""),
            (OPTION, TEAM, 4, "Xác định họ mã độc, phạm vi lây nhiễm và tình trạng các bản sao lưu", ""),
            (COORD, UNIT, 6, "Báo cáo Cơ quan điều phối quốc gia; đề nghị chuyên gia hỗ trợ phân tích", ""),
            (CONTAIN, OP, 8, "Phân đoạn mạng, chặn địa chỉ máy chủ điều khiển (C2) trên tường lửa", ""),
            (ERADICATE, VENDOR, 48, "Gỡ mã độc, cài đặt lại máy nhiễm từ ảnh chuẩn", ""),
            (RESTORE, OP, 72, "Khôi phục dữ liệu từ bản sao lưu ngoại tuyến, kiểm tra tính toàn vẹn", ""),
            (EVALUATE, UNIT, 120, "Đánh giá nguyên nhân gốc, cập nhật chính sách sao lưu 3-2-1", ""),
        ],
    ),
    (
        "ATTACK.MALWARE",
        "Kịch bản ứng cứu máy trạm, máy chủ nhiễm mã độc",
        "Phần mềm phòng chống mã độc hoặc hệ thống giám sát cảnh báo mã độc trên máy trạm/máy chủ. Mục tiêu: "
        "cô lập, thu mẫu, gỡ bỏ và ngăn lây lan.",
        [
            (FIRST, OP, 1, "Cô lập máy nhiễm khỏi mạng nội bộ", ""),
            (FIRST, OP, 4, "Thu thập mẫu mã độc (nén có mật khẩu) và nhật ký của phần mềm phòng chống mã độc", ""),
            (OPTION, TEAM, 8, "Phân tích mẫu, xác định dấu hiệu nhận biết (IOC) và phạm vi lây nhiễm", ""),
            (COORD, UNIT, 12, "Chia sẻ dấu hiệu nhận biết cho các đơn vị trong mạng lưới", ""),
            (ERADICATE, OP, 24, "Gỡ bỏ mã độc, cập nhật bản vá và chữ ký nhận dạng", ""),
            (RESTORE, OP, 48, "Đưa máy trở lại sử dụng sau khi rà quét sạch", ""),
            (EVALUATE, UNIT, 96, "Tổng kết, hướng dẫn người dùng nhận biết tệp đính kèm độc hại", ""),
        ],
    ),
    (
        "ATTACK.SPOOFING",
        "Kịch bản ứng cứu trang web, thư điện tử giả mạo (lừa đảo trực tuyến)",
        "Phát hiện tên miền, trang web hoặc thư điện tử giả mạo cơ quan nhà nước để lừa người dân cung cấp "
        "tài khoản. Mục tiêu: gỡ bỏ trong vòng 24 giờ và cảnh báo người dân.",
        [
            (FIRST, OP, 2, "Thu thập đường dẫn, ảnh chụp màn hình, thông tin tên miền (WHOIS) của trang giả mạo", ""),
            (OPTION, UNIT, 4, "Xác minh và đánh giá mức độ ảnh hưởng đến người dân", ""),
            (COORD, UNIT, 6, "Đề nghị doanh nghiệp viễn thông chặn truy cập và gỡ bỏ trang giả mạo trong 24 giờ", ""),
            (COORD, UNIT, 12, "Thông báo Công an tỉnh để điều tra theo thẩm quyền", ""),
            (CONTAIN, OP, 12, "Đăng cảnh báo trên cổng thông tin và mạng xã hội chính thức", ""),
            (EVALUATE, UNIT, 72, "Theo dõi tái xuất hiện; bổ sung bản ghi SPF, DKIM, DMARC cho tên miền", ""),
        ],
    ),
    (
        "ATTACK.UNAUTHORIZED_ACCESS",
        "Kịch bản ứng cứu truy cập trái phép, chiếm quyền quản trị hệ thống",
        "Nhật ký ghi nhận đăng nhập bất thường hoặc tài khoản quản trị bị chiếm quyền. Mục tiêu: thu hồi "
        "quyền kiểm soát, xác định dữ liệu bị truy cập.",
        [
            (FIRST, OP, 1, "Khóa tài khoản bị chiếm quyền, chấm dứt các phiên đăng nhập đang hoạt động", ""),
            (FIRST, OP, 2, "Sao lưu nhật ký xác thực, nhật ký hệ thống và cấu hình hiện tại", ""),
            (OPTION, TEAM, 6, "Xác định con đường xâm nhập và các tài khoản, máy chủ liên quan", ""),
            (CONTAIN, OP, 8, "Chặn địa chỉ IP nguồn, bật xác thực hai yếu tố cho tài khoản quản trị", ""),
            (ERADICATE, OP, 24, "Gỡ cửa hậu, tài khoản lạ, tác vụ lập lịch bất thường", ""),
            (COORD, UNIT, 24, "Đánh giá khả năng lộ lọt dữ liệu; thông báo cơ quan công an nếu có dấu hiệu tội phạm", ""),
            (RESTORE, OP, 48, "Đổi toàn bộ mật khẩu, khóa bí mật; đưa hệ thống trở lại hoạt động", ""),
            (EVALUATE, UNIT, 96, "Đánh giá, rút kinh nghiệm và cập nhật chính sách quản lý tài khoản", ""),
        ],
    ),
    (
        "ATTACK.ESPIONAGE",
        "Kịch bản ứng cứu lộ lọt, đánh cắp dữ liệu",
        "Phát hiện dữ liệu của cơ quan bị rao bán hoặc công bố trái phép. Mục tiêu: xác định nguồn lộ lọt, "
        "ngăn chặn, phối hợp điều tra và thông báo các bên bị ảnh hưởng.",
        [
            (FIRST, OP, 2, "Lưu giữ chứng cứ về dữ liệu bị công bố (đường dẫn, ảnh chụp, mẫu dữ liệu)", ""),
            (OPTION, TEAM, 8, "Đối chiếu dữ liệu bị lộ với hệ thống để xác định nguồn và thời điểm", ""),
            (COORD, UNIT, 12, "Chuyển thông tin, chứng cứ cho Công an tỉnh (PA05)", ""),
            (CONTAIN, OP, 24, "Đóng lỗ hổng hoặc thu hồi quyền truy cập là nguồn lộ lọt", ""),
            (RESTORE, OP, 48, "Tăng cường giám sát truy cập dữ liệu nhạy cảm", ""),
            (EVALUATE, OWNER, 120, "Đánh giá thiệt hại, thông báo tổ chức, cá nhân bị ảnh hưởng theo quy định", ""),
        ],
    ),
    (
        "SYSTEM.POWER",
        "Kịch bản ứng cứu sự cố mất nguồn điện tại phòng máy chủ",
        "Mất điện lưới hoặc hỏng bộ lưu điện (UPS) tại phòng máy chủ/trung tâm dữ liệu. Mục tiêu: tắt hệ "
        "thống an toàn, duy trì dịch vụ thiết yếu, khôi phục theo thứ tự ưu tiên.",
        [
            (FIRST, OP, 1, "Chuyển sang máy phát điện dự phòng; kiểm tra thời gian lưu điện còn lại của UPS", ""),
            (FIRST, OP, 1, "Tắt an toàn các máy chủ không thiết yếu để kéo dài thời gian lưu điện", ""),
            (COORD, OP, 2, "Liên hệ điện lực để biết thời gian cấp điện trở lại", ""),
            (RESTORE, OP, 6, "Khởi động lại hệ thống theo thứ tự ưu tiên; kiểm tra cơ sở dữ liệu", ""),
            (EVALUATE, OP, 48, "Kiểm tra lại UPS, máy phát; cập nhật quy trình vận hành khi mất điện", ""),
        ],
    ),
    (
        "SYSTEM.INTERNET_LINK",
        "Kịch bản ứng cứu sự cố mất kết nối Internet, đường truyền",
        "Đường truyền Internet hoặc mạng truyền số liệu chuyên dùng bị gián đoạn.",
        [
            (FIRST, OP, 1, "Xác định đoạn đường truyền bị gián đoạn; chuyển sang đường truyền dự phòng", ""),
            (COORD, ISP, 2, "Doanh nghiệp viễn thông kiểm tra, khắc phục và thông báo thời gian dự kiến", ""),
            (RESTORE, OP, 8, "Kiểm tra dịch vụ sau khi đường truyền được khôi phục", ""),
            (EVALUATE, OP, 48, "Đánh giá cam kết chất lượng dịch vụ của nhà cung cấp", ""),
        ],
    ),
    (
        "OPERATOR.SW_CHANGE",
        "Kịch bản ứng cứu sự cố do cập nhật, cấu hình phần mềm",
        "Hệ thống ngừng hoạt động hoặc lỗi sau khi cập nhật, thay đổi cấu hình phần mềm.",
        [
            (FIRST, OP, 1, "Dừng việc triển khai thay đổi; ghi nhận các thay đổi đã thực hiện", ""),
            (OPTION, OP, 2, "Quyết định quay lui (rollback) về phiên bản/cấu hình trước", ""),
            (RESTORE, OP, 4, "Khôi phục cấu hình hoặc phiên bản ổn định và kiểm tra chức năng", ""),
            (EVALUATE, OP, 48, "Bổ sung quy trình kiểm thử và phê duyệt thay đổi", ""),
        ],
    ),
    (
        "DISASTER.FLOOD",
        "Kịch bản ứng cứu khi phòng máy chủ có nguy cơ bị ngập lụt",
        "Mưa bão, ngập lụt đe dọa phòng máy chủ. Mục tiêu: bảo vệ thiết bị và dữ liệu, chuyển dịch vụ thiết "
        "yếu sang trung tâm dữ liệu dự phòng.",
        [
            (FIRST, OP, 2, "Sao lưu toàn bộ dữ liệu quan trọng ra vị trí an toàn", ""),
            (OPTION, OWNER, 4, "Quyết định chuyển dịch vụ sang trung tâm dữ liệu tỉnh hoặc nhà cung cấp", ""),
            (CONTAIN, OP, 8, "Tắt, di dời thiết bị lên vị trí cao; ngắt điện phòng máy khi nước dâng", ""),
            (RESTORE, OP, 72, "Kiểm tra thiết bị, khôi phục dịch vụ sau khi nước rút", ""),
            (EVALUATE, OWNER, 168, "Đánh giá thiệt hại và đề xuất phương án bố trí phòng máy chủ", ""),
        ],
    ),
]


def seed(apps, schema_editor):
    Scenario = apps.get_model("preparedness", "Scenario")
    ScenarioStep = apps.get_model("preparedness", "ScenarioStep")
    for category, title, description, steps in LIBRARY:
        if Scenario.objects.filter(organization__isnull=True, category=category, title=title).exists():
            continue
        scenario = Scenario.objects.create(
            organization=None,
            category=category,
            title=title,
            description=description,
            search_text=fold_many(title, description, category),
        )
        ScenarioStep.objects.bulk_create(
            ScenarioStep(scenario=scenario, order=n, stage=stage, owner_role=role, due_offset_hours=hours,
                         title=text, detail=detail)
            for n, (stage, role, hours, text, detail) in enumerate(steps, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("preparedness", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
