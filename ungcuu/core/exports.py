"""The one writer of spreadsheet cells: every CSV and XLSX export in the product goes through here.

Exports carry text that people outside the platform chose (a public reporter's name, an incident title, a
host name a scanner read from DNS). A spreadsheet program runs a cell that starts with = + - @ or a tab/CR
as a formula: `=HYPERLINK(...)` becomes a live link, `=cmd|'/c calc'!A0` a DDE call (OWASP "CSV
injection"). So:

- CSV: such text gets a leading apostrophe, and every text field is quoted so that a program that splits
  on another separator (";" in some locales) cannot start a new cell inside it;
- XLSX: text is always stored as text (`data_type` "s", with Excel's quotePrefix so an edit keeps it
  text); openpyxl would otherwise store a string starting with "=" as a formula. The text itself is kept.

Numbers stay numbers: an int, float or Decimal is written as it is, negative ones included, and so is a
text that is nothing but a number ("-12", "3,5%"), which no program evaluates as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*%?")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Stored as numbers, dates or booleans (bool is an int): never text, never a formula.
VALUE_TYPES = (int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text)


def csv_cell(value: Any) -> Any:
    """A CSV field: numbers as they are, None empty, text with an apostrophe before a formula start."""
    if value is None:
        return ""
    if isinstance(value, VALUE_TYPES):
        return value
    text = str(value)
    return f"'{text}" if is_formula_like(text) else text


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Vietnamese as UTF-8."""
    buffer = io.StringIO()
    # Text fields quoted, numbers not: a number stays a number and no text can open a cell of its own.
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_cell(sheet, value: Any) -> Any:
    """A value for `append_row`: text that could be read as a formula becomes a text cell."""
    if value is None or isinstance(value, VALUE_TYPES):
        return value
    # Control characters are not allowed in XML: openpyxl would raise and the export would fail.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if not text.startswith(FORMULA_START):
        return text
    cell = Cell(sheet, row=1, column=1, value=text)  # append() gives it its place
    cell.data_type = "s"  # openpyxl made it "f" (a formula) when the text starts with "="
    cell.quotePrefix = True  # Excel's "text" mark: shown without an apostrophe, kept as text on edit
    return cell


def append_row(sheet, values: Sequence[Any]) -> None:
    """Append one row to a worksheet (normal or write-only) with every text cell stored as text."""
    sheet.append([xlsx_cell(sheet, value) for value in values])
