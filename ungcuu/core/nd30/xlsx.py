"""A `Paper` as an XLSX workbook: a first sheet with the letterhead and the form's fields (labels as printed,
never field names), then one sheet per table, printable (A4, fit to the page width, header row repeated)."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ungcuu.core import exports
from ungcuu.core.nd30.model import Fields, Grid, Heading, Paper, Para

SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def head_rows(paper: Paper) -> list[list[str]]:
    head = paper.head
    rows = [
        ["Cơ quan chủ quản", head.parent_body],
        ["Cơ quan ban hành", head.issuing_body],
        ["Số, ký hiệu", head.number.removeprefix("Số:").strip()],
        ["Địa danh, ngày tháng", head.place_date],
        ["Tên văn bản", " ".join(x for x in (head.form_code, head.title, head.subtitle) if x)],
    ]
    return [r for r in rows if r[1]]


def _info_rows(paper: Paper) -> list[list[str]]:
    rows = head_rows(paper)
    section = ""
    for block in paper.blocks:
        if isinstance(block, Heading):
            section = block.text
        elif isinstance(block, Fields):
            rows.append([])
            rows.append([block.title or section])
            rows.extend([label, value] for label, value in block.rows)
        elif isinstance(block, Para) and section and not block.text.startswith("- "):
            continue
    signature = paper.head.signature
    rows += [[], ["Người ký", " ".join(signature.lines)], ["Họ và tên người ký", signature.name or "—"]]
    return rows


def _printable(sheet, *, landscape: bool, title_rows: str) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


def render_xlsx(paper: Paper) -> bytes:
    book = Workbook()
    info = book.active
    info.title = "Thông tin chung"
    for row in _info_rows(paper):
        exports.append_row(info, row)
        if len(row) == 1:
            info.cell(info.max_row, 1).font = Font(bold=True)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 38, 80
    for row in info.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _printable(info, landscape=False, title_rows="1:1")
    used = {info.title}
    for grid in paper.grids:
        _grid_sheet(book, grid, paper, used)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _grid_sheet(book, grid: Grid, paper: Paper, used: set[str]) -> None:
    sheet = book.create_sheet(_sheet_name(grid.title, used))
    for row in head_rows(paper)[1:2] + [["Bảng", grid.title]]:
        exports.append_row(sheet, row)
    exports.append_row(sheet, [])
    exports.append_row(sheet, grid.columns)
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="center")
    for index, row in enumerate(grid.rows):
        exports.append_row(sheet, row)
        if grid.total and index == len(grid.rows) - 1:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for index, width in enumerate(grid.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, round(width * 120))
    sheet.freeze_panes = f"A{header + 1}"
    _printable(sheet, landscape=grid.landscape_xlsx or len(grid.columns) > 5, title_rows=f"{header}:{header}")


def _sheet_name(title: str, used: set[str]) -> str:
    base = SHEET_FORBIDDEN.sub(" ", title)[:28] or "Bảng"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name
