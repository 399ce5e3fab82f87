"""The advisory as an official dispatch (công văn): a DOCX the specialised unit signs and sends.

Two steps, as for reports: `dispatch_context` gathers the letter's text (testable without rendering), and
`render_dispatch` fills a docxtpl template with it.

The template is built here with python-docx rather than committed as a binary .docx: it stays reviewable
in a diff, carries the layout of Decree 30/2020/NĐ-CP (Times New Roman 13, A4, margins 20/20/30/15 mm,
motto block on the right, "Nơi nhận" bottom left) in code a test can read, and needs no word processor to
change. A province that wants its own letterhead sets `ADVISORY_DISPATCH_TEMPLATE` to the path of a .docx
using the same placeholders. The letter is Vietnamese whatever the interface language: it is an official
text to Vietnamese bodies, not interface chrome.
"""

from __future__ import annotations

import datetime
import io
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

from ungcuu.advisories.models import Advisory
from ungcuu.advisories.validators import IndicatorKind
from ungcuu.core.bodies import body_names, province_name

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"
# Above this many recipients "Kính gửi" names them by reference to "Nơi nhận", as dispatches do.
MAX_NAMED_ADDRESSEES = 5
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_NAMES = {
    IndicatorKind.IPV4: "Địa chỉ IPv4",
    IndicatorKind.IPV6: "Địa chỉ IPv6",
    IndicatorKind.DOMAIN: "Tên miền",
    IndicatorKind.URL: "Đường dẫn URL",
    IndicatorKind.MD5: "Mã băm MD5",
    IndicatorKind.SHA1: "Mã băm SHA-1",
    IndicatorKind.SHA256: "Mã băm SHA-256",
    IndicatorKind.EMAIL: "Địa chỉ thư điện tử",
}


# --- the letter's text ------------------------------------------------------------------------------


def place_and_date(day: datetime.date) -> str:
    """ "Ninh Bình, ngày 05 tháng 3 năm 2026": days below 10 and months 1-2 take a leading zero (NĐ 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{province_name()}, ngày {day.day:02d} tháng {month} năm {day.year}"


def subject_line(title: str) -> str:
    """ "V/v cảnh báo lỗ hổng …": a leading Vietnamese word is lower-cased, a product name is not.

    A first word with a letter outside ASCII ("Lỗ", "Chiến", "Mã") is Vietnamese prose; "Apache",
    "WordPress" or "VPN" are names and keep their capitals.
    """
    text = " ".join(title.split())
    if text.lower().startswith("cảnh báo"):
        text = text[len("cảnh báo") :].strip(" :-–")
    first = text.split(" ", 1)[0]
    if not first.isascii() and first[:1].isupper() and first[1:] == first[1:].lower():
        text = text[:1].lower() + text[1:]
    return f"V/v cảnh báo {text}"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _product_line(product) -> str:
    name = " ".join(x for x in (product.vendor, product.product) if x)
    return f"{name}: phiên bản {product.versions}" if product.versions else f"{name}: mọi phiên bản"


def dispatch_context(advisory: Advisory) -> dict:
    """Everything the template prints, as plain strings and lists."""
    issued = timezone.localtime(advisory.published_at or timezone.now()).date()
    bodies = body_names(issued)
    recipients = sorted(
        (t.organization.name for t in advisory.targets.select_related("organization")), key=str.casefold
    )
    named = recipients if len(recipients) <= MAX_NAMED_ADDRESSEES else []
    sections = {
        "products": [_product_line(p) for p in advisory.products.all()],
        "indicators": [
            f"{KIND_NAMES[i.kind]}: {i.value}" for i in advisory.indicators.order_by("kind", "value")
        ],
    }
    return {
        "parent_body": bodies["PROVINCE_PC"].upper(),
        "issuing_body": bodies["SPECIALISED_UNIT"].upper(),
        "issuing_body_name": bodies["SPECIALISED_UNIT"],
        "number": f"Số: {advisory.dispatch_number}" if advisory.dispatch_number else "Số:        /",
        "subject": subject_line(advisory.title),
        "place_date": place_and_date(issued),
        "addressees": named,
        "addressee_fallback": "" if named else "Các cơ quan, đơn vị có tên tại Nơi nhận.",
        "reference": advisory.reference,
        "title": advisory.title,
        "summary": _paragraphs(advisory.summary),
        "cves": ", ".join(advisory.cve_ids),
        "products": sections["products"],
        "indicators": sections["indicators"],
        "actions": _paragraphs(advisory.recommended_actions),
        "deadline": timezone.localtime(advisory.deadline).strftime("%H giờ %M, ngày %d/%m/%Y"),
        "tlp": advisory.get_tlp_display(),
        "recipients": recipients,
        "signer_title": getattr(settings, "ADVISORY_SIGNER_TITLE", "GIÁM ĐỐC"),
        "signer_name": advisory.issued_by.get_full_name() or advisory.issued_by.get_username(),
    }


# --- the template -----------------------------------------------------------------------------------


def _style(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(3)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def _line(container, text: str, *, bold=False, italic=False, size=None, center=False, indent=False):
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def _loop(container, items: str, text: str, **style) -> None:
    """A docxtpl paragraph loop: one paragraph per item (the tag paragraphs vanish when rendered)."""
    container.add_paragraph(f"{{%p for item in {items} %}}")
    _line(container, text, **style)
    container.add_paragraph("{%p endfor %}")


def _two_columns(document, left_mm: int, right_mm: int):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(left_mm), Mm(right_mm)
    # A new cell holds one empty paragraph; remove it so the cell starts with our first line.
    for cell in (left, right):
        cell._element.remove(cell.paragraphs[0]._element)
    return left, right


def _header(document) -> None:
    left, right = _two_columns(document, 70, 95)
    _line(left, "{{ parent_body }}", size=12, center=True)
    _line(left, "{{ issuing_body }}", bold=True, size=12, center=True)
    _line(left, "{{ number }}", center=True)
    _line(left, "{{ subject }}", size=12, center=True)
    _line(right, MOTTO, bold=True, size=12, center=True)
    _line(right, MOTTO_LINE, bold=True, center=True)
    _line(right, "{{ place_date }}", italic=True, center=True)


def _addressees(document) -> None:
    _line(document, "")
    _line(document, "Kính gửi:", center=True)
    _loop(document, "addressees", "- {{ item }};", center=True)
    document.add_paragraph("{%p if addressee_fallback %}")
    _line(document, "{{ addressee_fallback }}", center=True)
    document.add_paragraph("{%p endif %}")


def _section(document, condition: str, heading: str, items: str, text: str = "{{ item }}") -> None:
    document.add_paragraph(f"{{%p if {condition} %}}")
    _line(document, heading, bold=True, indent=True)
    _loop(document, items, text, indent=True)
    document.add_paragraph("{%p endif %}")


def _body(document) -> None:
    _line(
        document,
        "Thực hiện chức năng đơn vị chuyên trách về ứng cứu sự cố an toàn thông tin mạng trên địa bàn tỉnh, "
        "{{ issuing_body_name }} cảnh báo ({{ reference }}) như sau:",
        indent=True,
    )
    _section(document, "summary", "1. Thông tin cảnh báo", "summary")
    document.add_paragraph("{%p if cves %}")
    _line(document, "Mã lỗ hổng: {{ cves }}.", indent=True)
    document.add_paragraph("{%p endif %}")
    _section(document, "products", "2. Sản phẩm, phiên bản bị ảnh hưởng", "products", "- {{ item }}")
    _section(document, "indicators", "3. Dấu hiệu nhận biết (IoC)", "indicators", "- {{ item }}")
    _section(document, "actions", "4. Khuyến nghị", "actions")
    _line(
        document,
        "Đề nghị các cơ quan, đơn vị khẩn trương kiểm tra, rà soát các hệ thống thông tin thuộc phạm vi quản "
        "lý, thực hiện các biện pháp khắc phục nêu trên và báo cáo kết quả (xác nhận đã nhận cảnh báo, tình "
        "trạng khắc phục của từng hệ thống) trên hệ thống Ứng Cứu trước {{ deadline }}.",
        indent=True,
    )
    _line(document, "Mức độ chia sẻ thông tin: {{ tlp }}.", italic=True, indent=True)
    _line(document, "Trân trọng./.", indent=True)


def _signature(document) -> None:
    _line(document, "")
    left, right = _two_columns(document, 80, 85)
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12)
    _loop(left, "recipients", "- {{ item }};", size=11)
    _line(left, "- Lưu: VT.", size=11)
    _line(right, "{{ signer_title }}", bold=True, center=True)
    for _blank in range(4):
        _line(right, "", center=True)
    _line(right, "{{ signer_name }}", bold=True, center=True)


@lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """The dispatch template, built once per process."""
    document = Document()
    _style(document)
    _header(document)
    _addressees(document)
    _body(document)
    _signature(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _template() -> DocxTemplate:
    custom = getattr(settings, "ADVISORY_DISPATCH_TEMPLATE", "")
    return DocxTemplate(custom or io.BytesIO(template_bytes()))


def render_dispatch(advisory: Advisory) -> bytes:
    """The filled .docx; values are XML-escaped, so "<9.0.80" in a version range prints as written."""
    document = _template()
    document.render(dispatch_context(advisory), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def filename(advisory: Advisory) -> str:
    return f"cong-van-{advisory.reference}.docx"
