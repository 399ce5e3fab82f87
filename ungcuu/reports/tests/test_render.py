"""Rendering: the text read back out of the DOCX (python-docx) and the PDF (pdftotext) keeps its Vietnamese
diacritics, the administrative format, and form 05's table; every document renders in every format."""

import io
import shutil
import subprocess
import unicodedata

import docx
import openpyxl
import pytest
from django.test import override_settings

from ungcuu.core.nd30 import docx as nd30_docx
from ungcuu.core.nd30 import pdf as nd30_pdf
from ungcuu.core.nd30 import xlsx as nd30_xlsx
from ungcuu.reports import documents
from ungcuu.reports.access import Scope

pytestmark = pytest.mark.django_db


def render_docx(document) -> bytes:
    return nd30_docx.render_docx(document.paper)


def render_pdf(document) -> bytes:
    return nd30_pdf.render_pdf(document.paper)


def render_xlsx(document) -> bytes:
    return nd30_xlsx.render_xlsx(document.paper)


NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def pdftotext(content: bytes, *options: str) -> str:
    """pdftotext (poppler-utils, installed by scripts/ensure-system-packages)."""
    binary = shutil.which("pdftotext")
    if binary is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    command = [binary, *options, "-enc", "UTF-8", "-", "-"]
    return nfc(subprocess.run(command, input=content, capture_output=True, check=True).stdout.decode("utf-8"))


def pdf_text(content: bytes) -> str:
    """The text in reading order, whitespace folded."""
    return " ".join(pdftotext(content).split())


def pdf_lines(content: bytes) -> list[str]:
    """The text as laid out on the page, one table row per line, whitespace folded."""
    return [" ".join(line.split()) for line in pdftotext(content, "-layout").splitlines()]


def docx_document(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    document = docx_document(content)
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return nfc(" ".join(" ".join(parts).split()))


def table_with(document, heading: str):
    return next(t for t in document.tables if heading in t.rows[0].cells[1].text)


@pytest.fixture
def form05(world, h1):
    return documents.form05_document(Scope.province(), h1)


def test_form05_docx_has_the_administrative_format_and_the_attack_table(form05):
    content = render_docx(form05)
    document = docx_document(content)
    text = docx_text(content)

    assert NATION in text and MOTTO in text and "Ninh Bình, ngày" in text
    assert "BÁO CÁO TỔNG HỢP" in text and "Mẫu số 05" in text and "Nơi nhận:" in text
    assert "{{" not in text and "{%" not in text
    table = table_with(document, "Loại hình tấn công")
    rows = [[nfc(c.text.strip()) for c in row.cells] for row in table.rows]
    assert len(rows) == 1 + 10 + 1  # header, the ten attack rows, total
    assert rows[5] == ["5", "Thay đổi giao diện", "2", "0", "1", "0", "0", "5.000.000"]
    assert rows[3] == ["3", "Tấn công sử dụng mã độc", "1", "0", "0", "1", "1", "20.000.000"]
    assert rows[4][1] == "Truy cập trái phép, chiếm quyền điều khiển"
    assert rows[-1] == ["", "Tổng cộng", "5", "0", "2", "1", "2", "25.000.000"]
    assert "Nhà mạng Gamma" in text and "Kaspersky Lab" in text


def test_form05_pdf_reads_back_with_diacritics_and_the_table(form05):
    content = render_pdf(form05)
    text = pdf_text(content)

    assert content.startswith(b"%PDF")
    assert NATION in text and MOTTO in text and "Sở Khoa học và Công nghệ".upper() in text
    assert "Từ tháng 01/2026 đến tháng 06/2026" in text
    lines = pdf_lines(content)
    assert "5 Thay đổi giao diện 2 0 1 0 0 5.000.000" in lines, lines
    assert "Tổng cộng 5 0 2 1 2 25.000.000" in lines, lines
    assert "Truy cập trái phép, chiếm quyền điều khiển" in text
    assert "GIÁM ĐỐC" in text and "Nơi nhận:" in text


def test_form05_xlsx_has_the_same_figures_period_organization_and_labels(form05):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(form05)))
    info = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert info["Kỳ báo cáo"] == "Từ tháng 01/2026 đến tháng 06/2026"
    assert info["Tên cơ quan, tổ chức"] and "Mã thành viên mạng lưới" in info
    sheet = book.worksheets[1]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in r)]
    assert rows[-1][1:] == ("Tổng cộng", 5, 0, 2, 1, 2, "25.000.000")
    assert [r[1] for r in rows[3:6]] == ["Từ chối dịch vụ", "Tấn công giả mạo", "Tấn công sử dụng mã độc"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows


def test_the_three_formats_carry_the_same_text(form05):
    """The DOCX and the PDF are written from the same blocks: every field and cell is in both."""
    word, pdf = docx_text(render_docx(form05)), pdf_text(render_pdf(form05))
    for block in form05.paper.blocks:
        for label, value in (
            getattr(block, "rows", []) if hasattr(block, "title") and not hasattr(block, "columns") else []
        ):
            assert nfc(f"{label}: {value}") in word and nfc(label) in pdf


def every_document(world, h1, org_a):
    from ungcuu.core.periods import Period

    return [
        documents.form05_document(Scope.of(org_a), h1),
        documents.unit_document(Scope.of(org_a), h1),
        documents.province_document(h1),
        documents.bulletin_document(Period.quarter(2026, 1)),
        documents.profile_document(org_a, "01"),
        documents.profile_document(org_a, "02"),
        documents.form03_document(world.a1),
        documents.form04_document(world.a1),
    ]


def test_every_document_renders_in_every_format(world, h1, org_a):
    for document in every_document(world, h1, org_a):
        pdf, word = pdf_text(render_pdf(document)), docx_text(render_docx(document))
        title = nfc(document.head.title)
        assert title in pdf and title in word, document.kind
        assert NATION in pdf and NATION in word, document.kind
        assert "{{" not in word and "{%" not in word, document.kind
        assert render_xlsx(document).startswith(b"PK"), document.kind


def test_forms_03_and_04_carry_the_incident(world):
    form03 = pdf_text(render_pdf(documents.form03_document(world.a1)))
    form04 = docx_text(render_docx(documents.form04_document(world.a1)))

    assert world.a1.reference in form03 and "Cổng Alpha bị thay đổi giao diện" in form03
    assert "Khôi phục từ bản sao lưu, vá lỗ hổng." in form04 and "Sở Thử nghiệm Alpha" in form04
    assert documents.form04_document(world.a2) is None  # not closed: no form 04 yet


def test_documents_never_name_a_confidential_incident(world, h1, org_a):
    for document in every_document(world, h1, org_a)[:4]:
        assert world.a2.reference not in pdf_text(render_pdf(document)), document.kind


def test_an_administrators_base_document_gives_the_styles(form05, tmp_path):
    custom = docx.Document()
    custom.styles["Normal"].font.name = "Arial"
    custom.add_paragraph("Văn bản mẫu sẽ bị thay thế")
    custom.save(tmp_path / "base.docx")

    with override_settings(REPORT_TEMPLATE_DIR=str(tmp_path)):
        content = render_docx(form05)

    assert docx_document(content).styles["Normal"].font.name == "Arial"
    assert "Văn bản mẫu" not in docx_text(content) and "BÁO CÁO TỔNG HỢP" in docx_text(content)


def test_an_administrators_html_template_replaces_the_preview(form05, tmp_path):
    (tmp_path / "nd30").mkdir()
    (tmp_path / "nd30" / "_body.html").write_text("Mẫu riêng: {{ head.issuing_body }}", encoding="utf-8")

    with override_settings(REPORT_TEMPLATE_DIR=str(tmp_path)):
        text = pdf_text(render_pdf(form05))

    assert "Mẫu riêng: SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text
