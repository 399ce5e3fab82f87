"""Every document as a reader's office suite shows it: each DOCX converted to PDF by LibreOffice headless
(installed by scripts/ensure-system-packages), then read back with poppler.

Checks: a sane page count, the header's lines not wrapped (the motto, "Độc lập - Tự do - Hạnh phúc" and the
place-and-date line each whole on one line of the page), page numbers from page 2, and every mandatory field
of the form present. With DOCS_SHOTS=<dir> the pages are also written as PNG images to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ungcuu.core.nd30.docx import render_docx
from ungcuu.core.nd30.model import MOTTO, NATION
from ungcuu.reports.tests.test_render import every_document, nfc

pytestmark = [pytest.mark.django_db, pytest.mark.office]

# What a reader must find in each document (DOMAIN.md §f, the starred fields and the form's sections).
MANDATORY = {
    "form01": ["Tên tổ chức", "Cơ quan chủ quản", "Thư điện tử", "ĐẦU MỐI TIẾP NHẬN", "ĐẦU MỐI ỨNG CỨU",
               "HỆ THỐNG THÔNG TIN THEO CẤP ĐỘ", "NHÂN LỰC", "CAM KẾT", "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT"],
    "form02": ["Kính gửi", "Tên tổ chức", "KHÓA PGP", "NGOÀI GIỜ HÀNH CHÍNH", "LIÊN HỆ LÃNH ĐẠO",
               "ĐỊA CHỈ NHẬN THƯ", "NHẮN TIN TỨC THỜI", "CAM KẾT"],
    "form03": ["Tên tổ chức/cá nhân báo cáo", "Người liên hệ".upper(), "Đơn vị vận hành", "MÔ TẢ SỰ CỐ",
               "Thời điểm phát hiện", "Tình trạng", "Cách thức phát hiện", "Đã thông báo cho",
               "Đề nghị giữ bí mật", "Thời điểm báo cáo"],
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


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run scripts/ensure-system-packages as root")
    return path


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory):
    return tmp_path_factory.mktemp("lo-profile").as_uri()


def office_pdfs(files: list[Path], out: Path, profile: str) -> None:
    """One LibreOffice run converts every file (it starts once: about two seconds)."""
    command = [tool("soffice"), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(out), *map(str, files)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=300)


def pages(pdf: Path) -> list[str]:
    text = subprocess.run([tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    return [nfc(page) for page in text.split("\f") if page.strip()]


def test_every_document_opens_in_libreoffice_with_an_unbroken_header(
    world, h1, org_a, tmp_path, office_profile
):
    docs = every_document(world, h1, org_a)
    files = []
    for document in docs:
        path = tmp_path / f"{document.kind}.docx"
        path.write_bytes(render_docx(document.paper))
        files.append(path)
    office_pdfs(files, tmp_path, office_profile)
    shots = os.environ.get("DOCS_SHOTS")
    for document in docs:
        pdf = tmp_path / f"{document.kind}.pdf"
        text = pages(pdf)
        first = [" ".join(line.split()) for line in text[0].splitlines()]
        assert 1 <= len(text) <= MAX_PAGES[document.kind], (document.kind, len(text))
        assert any(NATION in line for line in first), (document.kind, first[:8])
        assert any(MOTTO in line for line in first), (document.kind, first[:8])
        place = document.paper.head.place_date
        assert any(place in line for line in first), (document.kind, place, first[:10])
        whole = " ".join(" ".join(p.split()) for p in text)
        for label in MANDATORY[document.kind]:
            assert nfc(label) in whole, (document.kind, label)
        for number, page in enumerate(text[1:], start=2):  # page numbers from page 2, none on page 1
            assert page.strip().splitlines()[0].strip() == str(number), (document.kind, number)
        assert "{{" not in whole and "{%" not in whole
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [tool("pdftoppm"), "-png", "-r", "70", str(pdf), f"{shots}/{document.kind}"], check=True
            )
