"""Builds `templates_docx/plan.docx`, the docxtpl template a response plan is exported with.

The template is committed so that an administrator can open it in Word and restyle it (fonts, spacing,
logo) without touching code; this module is how it was made and how to make it again:

    .venv/bin/python -m ungcuu.preparedness.docx_template

A test rebuilds it and compares the text of every paragraph and cell (the Jinja tags and the fixed
Vietnamese wording) with the committed file, so the code that fills the template and the template never
drift apart, while styling done in Word does not fail the test.

Layout follows the Vietnamese administrative style (Decree 30/2020/NĐ-CP): A4, Times New Roman 13 pt,
margins 20/20/30/15 mm, the issuing body on the left and the national motto on the right, the title
centred in capitals, numbered Roman sections, the signature block on the right.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEMPLATE_PATH = Path(__file__).resolve().parent / "templates_docx" / "plan.docx"
FONT = "Times New Roman"
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def build_plan_template():
    """The plan template as a python-docx Document (saved by `write_plan_template`)."""
    doc = Document()
    _page_setup(doc)
    _heading_block(doc)
    _title(doc)
    _lines_section(doc, "I. PHẠM VI VÀ ĐỐI TƯỢNG ÁP DỤNG", "scope")
    _systems_section(doc)
    _lines_section(doc, "III. TIÊU CHÍ ĐÁNH GIÁ MỨC ĐỘ NGHIÊM TRỌNG CỦA SỰ CỐ", "severity_criteria")
    _scenarios_section(doc)
    _people_section(doc)
    _resources_section(doc)
    _budget_section(doc)
    _lines_section(doc, "VIII. ĐẦU MỐI LIÊN HỆ BÊN NGOÀI", "external_contacts")
    _implementation_section(doc)
    _signature_block(doc)
    return doc


def write_plan_template(path: Path = TEMPLATE_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_plan_template().save(str(path))
    return path


def template_texts(doc) -> list[str]:
    """Every paragraph's and every cell's text, in document order: what the drift test compares."""
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


# --- pieces -----------------------------------------------------------------------------------------


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    # Word reads the East-Asian slot for some Vietnamese glyphs; set every slot to the same font.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(3)


def _write(paragraph, text: str, *, bold=False, italic=False, underline=False, align=None, size=None):
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _para(container, text: str = "", **style):
    return _write(container.add_paragraph(), text, **style)


def _cell_para(cell, text: str, **style):
    """A fresh cell's empty first paragraph is used first, so the cell does not start with a blank line."""
    first = cell.paragraphs[0]
    return _write(first if not first.runs else cell.add_paragraph(), text, **style)


def _heading_block(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    _cell_para(left, "{{ governing_body }}", align=CENTER, size=12)
    _cell_para(left, "{{ issuing_body }}", bold=True, align=CENTER, size=12)
    _cell_para(left, "{% if is_draft %}DỰ THẢO{% endif %}", bold=True, align=CENTER, size=12)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=CENTER, size=12)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, align=CENTER)
    _cell_para(
        right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", italic=True, align=CENTER
    )


def _title(doc) -> None:
    _para(doc)
    _para(doc, "PHƯƠNG ÁN ỨNG CỨU SỰ CỐ AN TOÀN THÔNG TIN MẠNG", bold=True, align=CENTER, size=14)
    _para(doc, "{{ title }}", bold=True, align=CENTER)
    _para(
        doc,
        "{% if decision_number %}(Ban hành kèm theo Quyết định số {{ decision_number }} "
        "ngày {{ approved_on }}"
        "{% if approver_title %} của {{ approver_title }}{% endif %}){% endif %}",
        italic=True,
        align=CENTER,
    )


def _lines(doc, name: str) -> None:
    """One paragraph per line of a text field; a dash when the field is empty."""
    _para(doc, f"{{%p for line in {name} %}}")
    _para(doc, "{{ line }}", align=JUSTIFY)
    _para(doc, "{%p endfor %}")


def _lines_section(doc, heading: str, name: str) -> None:
    _para(doc, heading, bold=True)
    _lines(doc, name)


def _loop_table(doc, headers: list[str], loop: str, cells: list[str], widths: list[int]) -> None:
    """A bordered table: a header row, then one row per item (docxtpl's {%tr %} row tags)."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (header, cell, width) in enumerate(zip(headers, cells, widths, strict=True)):
        for row in table.rows:
            row.cells[index].width = Mm(width)
        _cell_para(table.rows[0].cells[index], header, bold=True, align=CENTER, size=12)
        _cell_para(table.rows[2].cells[index], cell, size=12)
    _cell_para(table.rows[1].cells[0], f"{{%tr for {loop} %}}")
    _cell_para(table.rows[3].cells[0], "{%tr endfor %}")
    _para(doc)


def _systems_section(doc) -> None:
    _para(doc, "II. HỆ THỐNG THÔNG TIN ĐƯỢC BẢO ĐẢM", bold=True)
    _para(
        doc, "{% if not systems %}Phương án áp dụng chung cho các hệ thống thông tin của đơn vị.{% endif %}"
    )
    _loop_table(
        doc,
        ["STT", "Tên hệ thống thông tin", "Cấp độ", "Đơn vị vận hành"],
        "s in systems",
        ["{{ s.number }}", "{{ s.name }}", "{{ s.level }}", "{{ s.operator }}"],
        [12, 80, 20, 53],
    )


def _scenarios_section(doc) -> None:
    _para(doc, "IV. KỊCH BẢN ỨNG CỨU SỰ CỐ", bold=True)
    _para(doc, "{% if not scenarios %}Chưa có kịch bản.{% endif %}")
    _para(doc, "{%p for sc in scenarios %}")
    _para(doc, "{{ sc.number }}. {{ sc.title }}", bold=True)
    _para(doc, "Loại sự cố: {{ sc.category }}", italic=True)
    _para(doc, "{%p for line in sc.description %}")
    _para(doc, "{{ line }}", align=JUSTIFY)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p for st in sc.steps %}")
    _para(
        doc,
        "Bước {{ st.order }} – {{ st.stage }}: {{ st.title }} ({{ st.role }}{{ st.due }}).",
        align=JUSTIFY,
    )
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endfor %}")


def _people_section(doc) -> None:
    _para(doc, "V. LỰC LƯỢNG, VAI TRÒ VÀ NHÂN SỰ THAM GIA", bold=True)
    _lines(doc, "roles")
    _loop_table(
        doc,
        ["STT", "Họ và tên", "Chức vụ", "Điện thoại", "Thư điện tử"],
        "p in people",
        ["{{ p.number }}", "{{ p.full_name }}", "{{ p.title }}", "{{ p.phone }}", "{{ p.email }}"],
        [12, 45, 40, 30, 38],
    )


def _resources_section(doc) -> None:
    _para(doc, "VI. NGUỒN LỰC: TRANG THIẾT BỊ, BẢN QUYỀN PHẦN MỀM, CHUYÊN GIA, NHÀ CUNG CẤP", bold=True)
    _loop_table(
        doc,
        ["STT", "Loại", "Tên", "Số lượng", "Ghi chú"],
        "r in resources",
        ["{{ r.number }}", "{{ r.kind }}", "{{ r.name }}", "{{ r.quantity }}", "{{ r.note }}"],
        [12, 33, 60, 20, 40],
    )


def _budget_section(doc) -> None:
    _para(doc, "VII. DỰ TOÁN KINH PHÍ", bold=True)
    _para(doc, "Tổng dự toán kinh phí: {{ budget }} đồng ({{ budget_note }}).", align=JUSTIFY)


def _implementation_section(doc) -> None:
    _para(doc, "IX. TỔ CHỨC THỰC HIỆN", bold=True)
    _para(
        doc,
        "Phương án được rà soát, cập nhật ít nhất mỗi năm một lần và khi hệ thống thông tin có thay đổi."
        "{% if review_due_on %} Hạn rà soát tiếp theo: {{ review_due_on }}.{% endif %}",
        align=JUSTIFY,
    )
    _para(doc, "Tình trạng: {{ status }}; phiên bản số {{ version }}.", italic=True)


def _signature_block(doc) -> None:
    _para(doc)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(85), Mm(80)
    _cell_para(left, "Nơi nhận:", bold=True, italic=True, size=12)
    _cell_para(left, "- {{ issuing_body_name }};", size=11)
    _cell_para(left, "- Đơn vị chuyên trách về ứng cứu sự cố;", size=11)
    _cell_para(left, "- Lưu: VT.", size=11)
    _cell_para(right, "{{ approver_title_upper }}", bold=True, align=CENTER)
    _cell_para(right, "", align=CENTER)
    _cell_para(right, "", align=CENTER)
    _cell_para(right, "{{ approver_name }}", bold=True, align=CENTER)


if __name__ == "__main__":  # pragma: no cover - the chore script
    print(write_plan_template())
