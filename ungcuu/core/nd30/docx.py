"""A `Paper` as a Word document (python-docx), laid out by Decree 30/2020 (DOMAIN.md §l).

A4 portrait, margins 20/20/30/15 mm, Times New Roman 13 pt; the two-column header with its rule lines,
measured so the motto and the place-and-date line stay on one line; page numbers centred in the top margin
from page 2; tables with fixed column widths, header rows repeated on every page and rows kept whole; the
recipients and signature block kept together and with the text above it.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from ungcuu.core.nd30 import fonts, templates
from ungcuu.core.nd30.model import LEFT_MM, RIGHT_MM, Chart, Fields, Grid, Heading, Letterhead, Paper, Para

FONT = "Times New Roman"
TEXT_MM = 165.0  # 210 - 30 - 15
CENTER, RIGHT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY


def render_docx(paper: Paper) -> bytes:
    base = templates.base_docx()
    document = Document(str(base)) if base else _blank()
    if base:
        _clear_body(document)
    _page_numbers(document)
    head = paper.head
    if head.form_code:
        _p(document, head.form_code, align=RIGHT, bold=True, italic=True, size=12)
    _header(document, head)
    _title(document, head)
    for block in paper.blocks:
        _block(document, block)
    if paper.closing:
        _p(document, paper.closing, indent=True)
    last = document.paragraphs[-1]
    last.paragraph_format.keep_with_next = True
    _footer(document, head)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- page ---------------------------------------------------------------------------------------------


def _blank():
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    fonts_el = normal.element.rPr.rFonts
    for attr in ("w:eastAsia", "w:hAnsi", "w:cs"):
        fonts_el.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    return document


def _clear_body(document) -> None:
    """An administrator's base.docx brings its styles and page set-up, not its sample text."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            value = OxmlElement("w:t")
            value.text = text
            run._r.append(value)
    run.font.size = Pt(13)


def _page_numbers(document) -> None:
    """Centred in the top margin, from page 2 (the first page has an empty first-page header)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    if not paragraph.text:
        paragraph.alignment = CENTER
        _field(paragraph, "PAGE")


# --- text ---------------------------------------------------------------------------------------------


def _p(container, text="", *, align=None, bold=False, italic=False, size=None, indent=False, after=None):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = Cm(1.27)
        paragraph.alignment = JUSTIFY
    elif align is not None:
        paragraph.alignment = align
    if after is not None:
        fmt.space_after = Pt(after)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return paragraph


def _label(container, label: str, value: str):
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.add_run(f"{label}: ").italic = True
    paragraph.add_run(value)
    return paragraph


def _rule(container, width_mm: float, column_mm: float) -> None:
    """A solid line `width_mm` long, centred: the bottom border of an empty paragraph indented both sides."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max(0.0, (column_mm - width_mm) / 2)
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_after, fmt.space_before, fmt.line_spacing = Pt(2), Pt(0), Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


# --- tables -------------------------------------------------------------------------------------------


def _table(document, widths_mm: list[float], *, borders: bool):
    table = document.add_table(rows=0, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    width.set(qn("w:type"), "dxa")
    tbl_pr.append(width)
    for col, mm in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(mm)
    grid = table._tbl.tblGrid
    for col_el, mm in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col_el.set(qn("w:w"), str(int(mm * 56.7)))
    if borders:
        edges = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            line = OxmlElement(f"w:{edge}")
            for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
                line.set(qn(key), value)
            edges.append(line)
        tbl_pr.append(edges)
    else:
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            margin = OxmlElement(f"w:{edge}")
            margin.set(qn("w:w"), "0")
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tbl_pr.append(margins)
    return table


def _row(table, widths_mm: list[float], *, header: bool = False):
    row = table.add_row()
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
    for cell, mm in zip(row.cells, widths_mm, strict=True):
        cell.width = Mm(mm)
        cell._element.remove(cell.paragraphs[0]._element)
    return row.cells


def _cell_text(cell, text: str, *, bold=False, align=None, size=11.5):
    paragraph = _p(cell, "", align=align, after=0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)


def _grid(document, grid: Grid) -> None:
    widths = [TEXT_MM * w for w in grid.widths]
    size = 10.5 if grid.dense else 11.5
    table = _table(document, widths, borders=True)
    for cell, name in zip(_row(table, widths, header=True), grid.columns, strict=True):
        _cell_text(cell, name, bold=True, align=CENTER, size=size)
    if not grid.rows:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
        run = merged.paragraphs[0].add_run(grid.empty)
        run.font.size = Pt(11.5)
    for index, values in enumerate(grid.rows):
        bold = grid.total and index == len(grid.rows) - 1
        for col, (cell, value) in enumerate(zip(_row(table, widths), values, strict=True)):
            align = RIGHT if col in grid.numeric else None
            _cell_text(cell, "" if value is None else str(value), bold=bold, align=align, size=size)
    _p(document, "", after=0).paragraph_format.line_spacing = Pt(6)


# --- the document's parts -----------------------------------------------------------------------------


def _header(document, head: Letterhead) -> None:
    table = _table(document, [LEFT_MM, RIGHT_MM], borders=False)
    left, right = _row(table, [LEFT_MM, RIGHT_MM])
    for line in head.parent_lines:
        _p(left, line, align=CENTER, size=12, after=0)
    for line in head.issuer_lines:
        _p(left, line, align=CENTER, bold=True, size=12, after=0)
    body_mm = max(fonts.text_mm(line, 12, bold=True) for line in head.issuer_lines)
    _rule(left, body_mm * 0.4, LEFT_MM)
    _p(left, head.number, align=CENTER, size=13, after=0)
    if head.summary:
        _p(left, head.summary, align=CENTER, size=12, after=0)
    nation = fonts.fitting_size(head.nation, RIGHT_MM - 1, sizes=(12.5, 12, 11.5), bold=True)
    _p(right, head.nation, align=CENTER, bold=True, size=nation, after=0)
    _p(right, head.motto, align=CENTER, bold=True, size=13, after=0)
    _rule(right, fonts.text_mm(head.motto, 13, bold=True), RIGHT_MM)
    place = fonts.fitting_size(head.place_date, RIGHT_MM - 1, italic=True)
    _p(right, head.place_date, align=CENTER, italic=True, size=place, after=0)


def _title(document, head: Letterhead) -> None:
    if head.title:
        title = _p(document, head.title, align=CENTER, bold=True, size=14, after=0)
        title.paragraph_format.space_before = Pt(12)
    if head.subtitle:
        _p(document, head.subtitle, align=CENTER, bold=True, after=6)
    _p(document, "", after=0).paragraph_format.line_spacing = Pt(6)
    if len(head.addressees) == 1:
        _p(document, f"Kính gửi: {head.addressees[0]}.", align=CENTER)
    elif head.addressees:
        _p(document, "Kính gửi:", align=CENTER, after=0)
        for name in head.addressees:
            paragraph = _p(document, f"- {name};", after=0)
            paragraph.paragraph_format.left_indent = Mm(45)
        _p(document, "", after=0)


def _block(document, block) -> None:
    if isinstance(block, Heading):
        paragraph = _p(document, block.text, bold=True, italic=block.level > 1)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6 if block.level > 1 else 8)
    elif isinstance(block, Para):
        _p(document, block.text, indent=block.indent, bold=block.bold, italic=block.italic)
    elif isinstance(block, Fields):
        if block.title:
            _p(document, block.title, bold=True, italic=True).paragraph_format.keep_with_next = True
        for label, value in block.rows:
            _label(document, label, value)
    elif isinstance(block, Grid):
        _grid(document, block)
    elif isinstance(block, Chart):
        document.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
        document.paragraphs[-1].alignment = CENTER


def _footer(document, head: Letterhead) -> None:
    widths = [72.0, 93.0]
    table = _table(document, widths, borders=False)
    left, right = _row(table, widths)
    if head.recipients:
        _p(left, "Nơi nhận:", bold=True, italic=True, size=12, after=0)
        for line in head.recipients:
            _p(left, f"- {line}", size=11, after=0)
    signature = head.signature
    for line in signature.lines:
        _p(right, line, align=CENTER, bold=True, after=0)
    if signature.note:
        _p(right, signature.note, align=CENTER, italic=True, size=12, after=0)
    for _blank_line in range(4):
        _p(right, "", after=0)
    _p(right, signature.name or " ", align=CENTER, bold=True, after=0)
