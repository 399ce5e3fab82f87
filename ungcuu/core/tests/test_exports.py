"""The one spreadsheet writer: no text reaches a CSV or XLSX cell as a live formula; numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from ungcuu.core import exports

ATTACKS = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\n=1"]


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_text_that_starts_a_formula_gets_an_apostrophe():
    rows = read_csv(exports.csv_bytes([ATTACKS]))
    assert rows == [[f"'{text}" for text in ATTACKS]]


def test_csv_numbers_stay_numbers_and_text_is_quoted():
    content = exports.csv_bytes([[-5, -2.5, Decimal("-7"), "-12", "3,5%", None, "a;=1+1", "Hoà Bình"]])
    text = content.decode("utf-8-sig")
    # Unquoted numbers, so a spreadsheet reads them as numbers; text quoted so ";" cannot split a cell.
    assert text.startswith('-5,-2.5,-7,"-12","3,5%","","a;=1+1","Hoà Bình"')
    assert content.startswith("\ufeff".encode())


def _round_trip(book: Workbook):
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]


def test_xlsx_text_is_stored_as_text_never_as_formula():
    book = Workbook()
    exports.append_row(book.active, [*ATTACKS, -5, -2.5, datetime.date(2026, 1, 2), None])
    row = next(_round_trip(book).iter_rows())
    assert all(cell.data_type != "f" for cell in row)
    assert [cell.value for cell in row[: len(ATTACKS)]] == ATTACKS
    assert row[len(ATTACKS)].value == -5 and row[len(ATTACKS)].data_type == "n"
    assert row[len(ATTACKS) + 1].value == -2.5
    assert row[len(ATTACKS)].quotePrefix is False and row[0].quotePrefix is True


def test_xlsx_write_only_sheets_are_protected_too():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Findings")
    exports.append_row(sheet, ['=HYPERLINK("http://x","y")', -1])
    row = next(_round_trip(book).iter_rows())
    assert (row[0].data_type, row[0].value) == ("s", '=HYPERLINK("http://x","y")')
    assert (row[1].data_type, row[1].value) == ("n", -1)


def test_xlsx_control_characters_do_not_break_the_export():
    book = Workbook()
    exports.append_row(book.active, ["tên\x07 lạ\x00"])
    assert next(_round_trip(book).iter_rows())[0].value == "tên lạ"
