"""Every document as a reader's office suite shows it: each DOCX converted to PDF by LibreOffice headless
(installed by scripts/ensure-system-packages), then read back with poppler.

Checks: a sane page count, the header's lines not wrapped (the motto, "Độc lập - Tự do - Hạnh phúc" and the
place-and-date line each whole on one line of the page), page numbers from page 2, and every mandatory field
of the form present. With DOCS_SHOTS=<dir> the pages are also written as PNG images to look at.
"""

from __future__ import annotations

import pytest

from ungcuu.core.nd30.office import check_papers
from ungcuu.reports.tests.test_form_fields import add_line
from ungcuu.reports.tests.test_render import every_document

pytestmark = [pytest.mark.django_db, pytest.mark.office]

# What a reader must find in each document (DOMAIN.md §f, the starred fields and the form's sections).
MANDATORY = {
    "form01": ["Tên tổ chức", "Cơ quan chủ quản", "Thư điện tử", "ĐẦU MỐI TIẾP NHẬN", "ĐẦU MỐI ỨNG CỨU",
               "HỆ THỐNG THÔNG TIN THEO CẤP ĐỘ", "NHÂN LỰC", "Số người theo lĩnh vực đào tạo", "Danh sách cán bộ",
               "CAM KẾT", "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT"],
    "form02": ["Kính gửi", "Tên tổ chức", "KHÓA PGP", "NGOÀI GIỜ HÀNH CHÍNH", "LIÊN HỆ LÃNH ĐẠO",
               "ĐỊA CHỈ NHẬN THƯ", "NHẮN TIN TỨC THỜI", "CAM KẾT"],
    "form03": ["Tên tổ chức/cá nhân báo cáo", "Người liên hệ".upper(), "Đơn vị vận hành", "MÔ TẢ SỰ CỐ",
               "Tấn công đã thành công", "Nguy cơ gây gián đoạn", "Mức độ nhạy cảm của dữ liệu",
               "Đối tượng bị ảnh hưởng", "Thời điểm phát hiện", "Tình trạng", "Cách thức phát hiện",
               "Đã thông báo cho", "Đề nghị giữ bí mật", "Thời điểm báo cáo"],
    "form04": ["Tên tổ chức/cá nhân báo cáo", "Số hiệu", "Ngày báo cáo ban đầu", "Đơn vị vận hành",
               "Thời điểm phát hiện", "Cách thức xử lý", "Đề xuất, kiến nghị", "TÀI LIỆU KÈM THEO"],
    "form05": ["Kỳ báo cáo", "Tên cơ quan, tổ chức", "Địa chỉ", "Mã thành viên mạng lưới", "Tổng cộng",
               "Tổ chức trong nước", "Tổ chức nước ngoài", "ĐỀ XUẤT, KIẾN NGHỊ"],
    "unit": ["TÌNH HÌNH SỰ CỐ", "PHỐI HỢP ỨNG CỨU", "ĐÁNH GIÁ CHUNG", "KHÓ KHĂN, VƯỚNG MẮC", "ĐỀ XUẤT"],
    "province": ["TÌNH HÌNH SỰ CỐ", "CÔNG TÁC ĐIỀU PHỐI", "TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ"],
    "bulletin": ["Tình hình chung", "Khuyến nghị", "Tổng cộng"],
}  # fmt: skip
MAX_PAGES = {"form03": 3, "form04": 3, "form05": 3, "form01": 4, "form02": 5, "bulletin": 5, "unit": 8,
             "province": 10}  # fmt: skip


def test_every_document_opens_in_libreoffice_with_an_unbroken_header(world, h1, org_a, manager, tmp_path):
    for family, given in (("Nguyễn Thị Thu", "Hà"), ("Phạm Minh", "Đức")):  # form 01's annex, line by line
        add_line(manager, org_a, family, given)
    docs = {document.kind: document.paper for document in every_document(world, h1, org_a)}
    rendered = check_papers(docs, tmp_path, max_pages=MAX_PAGES, required=MANDATORY)
    assert {r.name: r.problems for r in rendered} == {name: [] for name in docs}
