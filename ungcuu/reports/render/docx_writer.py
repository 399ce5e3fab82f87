"""A small writer of Word templates in the administrative format (python-docx), used by docx_defaults.

It writes the letterhead and the signature block, headings, paragraphs, docxtpl loops and tables; the
documents' wording lives in docx_defaults.py.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
CENTER, RIGHT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY


class Template:
    """A Word document written top to bottom in the administrative format."""

    def __init__(self) -> None:
        self.document = Document()
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        normal = self.document.styles["Normal"]
        normal.font.name, normal.font.size = FONT, Pt(13)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(3)

    # --- text ---------------------------------------------------------------------------------------

    def p(self, text: str = "", *, align=None, bold=False, italic=False, size=None, indent=False, cell=None):
        paragraph = cell.add_paragraph() if cell is not None else self.document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Cm(1)
            paragraph.alignment = JUSTIFY
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
        return paragraph

    def h2(self, text: str) -> None:
        self.p(text, bold=True).paragraph_format.space_before = Pt(8)

    def h3(self, text: str) -> None:
        self.p(text, bold=True, italic=True)

    def tag(self, tag: str, cell=None) -> None:
        """A paragraph that holds only a docxtpl block tag ({%p ... %}); it disappears when rendered."""
        self.p(tag, cell=cell)

    def each(self, loop: str, line: str, *, empty: str = "") -> None:
        """One paragraph per item: `{%p for ... %}` / line / `{%p endfor %}`, or `empty` when none."""
        if empty:
            target = loop.split(" in ", 1)[1]
            self.tag(f"{{%p if {target} %}}")
        self.tag(f"{{%p for {loop} %}}")
        self.p(line)
        self.tag("{%p endfor %}")
        if empty:
            self.tag("{%p else %}")
            self.p(empty)
            self.tag("{%p endif %}")

    def text(self, expression: str) -> None:
        """A multi-line text kept as written (line breaks survive through `|lines`)."""
        self.p(f"{{{{ {expression}|lines if {expression} else 'Không có.' }}}}", indent=True)

    def fields(self, rows: list[tuple[str, str]]) -> None:
        for label, expression in rows:
            paragraph = self.p()
            paragraph.add_run(f"- {label}: ").italic = True
            paragraph.add_run(f"{{{{ {expression} or '—' }}}}")

    # --- tables -------------------------------------------------------------------------------------

    def grid(
        self,
        headers: list[str],
        cells: list[str],
        loop: str,
        *,
        total: list[str] | None = None,
        widths: list[float] | None = None,
    ) -> None:
        """A bordered table with a header row, one row per item of `loop`, and an optional total row."""
        table = self.document.add_table(rows=0, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self._row(table, headers, bold=True, align=CENTER)
        self._row(table, [f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1))
        self._row(table, cells)
        self._row(table, ["{%tr endfor %}"] + [""] * (len(headers) - 1))
        if total:
            self._row(table, total, bold=True)
        if widths:
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)
        self.p()

    def _row(self, table, values: list[str], *, bold=False, align=None) -> None:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            if align is not None:
                paragraph.alignment = align
            run = paragraph.add_run(value)
            run.bold, run.font.size = bold, Pt(11)

    # --- letterhead and signature -------------------------------------------------------------------

    def head(self) -> None:
        self.p("{{ head.form_code }}", align=RIGHT, bold=True, italic=True, size=12)
        table = self.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.width, right.width = Cm(7), Cm(9)
        self._cell_lines(
            left,
            [
                ("{{ head.parent_body }}", False, False),
                ("{{ head.issuing_body }}", True, False),
                ("──────────", False, False),
                ("{{ head.number }}", False, False),
            ],
        )
        self._cell_lines(
            right,
            [
                ("{{ head.nation }}", True, False),
                ("{{ head.motto }}", True, False),
                ("────────────────", False, False),
                ("{{ head.place_date }}", False, True),
            ],
        )
        self.p()
        self.p("{{ head.title }}", align=CENTER, bold=True, size=14)
        self.p("{{ head.subtitle }}", align=CENTER, bold=True)

    def _cell_lines(self, cell, lines: list[tuple[str, bool, bool]]) -> None:
        first = True
        for text, bold, italic in lines:
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            paragraph.alignment = CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(text)
            run.bold, run.italic, run.font.size = bold, italic, Pt(12 if not bold else 13)

    def foot(self) -> None:
        self.p()
        table = self.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.width, right.width = Cm(7), Cm(9)
        run = left.paragraphs[0].add_run("Nơi nhận:")
        run.bold, run.italic, run.font.size = True, True, Pt(12)
        self.tag("{%p for r in head.recipients %}", cell=left)
        self.p("- {{ r }}", size=11, cell=left)
        self.tag("{%p endfor %}", cell=left)
        self._cell_lines(
            right,
            [
                ("{{ head.signer_title|lines }}", True, False),
                ("{{ head.signer_note }}", False, True),
                ("", False, False),
                ("", False, False),
                ("", False, False),
                ("{{ head.signer_name }}", True, False),
            ],
        )

    def save(self, path: Path) -> None:
        self.document.save(str(path))
