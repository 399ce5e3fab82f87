"""Reading a province's workbook (XLSX, streamed) or CSV into rows keyed by template field.

openpyxl in read-only mode streams the sheet, so a 50,000-row file is never held as cells; the csv
module reads CSV. What is ours is what no library knows: where the header row is (titles above it are
common), which heading means which field, merged cells, and text typed in legacy Vietnamese fonts.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.functions import iterparse  # openpyxl's own choice: defusedxml when installed

from ungcuu.core.text import fold
from ungcuu.onboarding.columns import SHEETS, Sheet

HEADER_SEARCH_ROWS = 10  # titles and notes above the header row: provinces put up to a few
MAX_MERGED_CELLS = 200_000  # a merged range larger than this is decoration, not data
_MERGE_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"

# Legacy fonts: TCVN3 (.VnTime) and VNI store Vietnamese as Latin-1 look-alikes. Unicode Vietnamese uses
# only these Latin-1 letters; any other Latin-1 letter or symbol inside a word is a legacy font's byte.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ°")  # and the degree sign (25°C)
_TRAILING_SYMBOLS = set("®©")
_LEGACY = re.compile(r"[A-Za-z][\u00a1-\u00ff]|[\u00a1-\u00ff][A-Za-z]")


class FileRefused(Exception):
    """The whole file is unusable (format, no recognisable header, legacy encoding); nothing is read."""


@dataclass
class Row:
    number: int  # the spreadsheet's own row number, so people find it
    values: dict[str, str]


@dataclass
class Table:
    sheet: Sheet
    name: str  # the sheet or file name, for messages
    header_row: int
    fields: list[str]  # template fields present in the file
    rows: list[Row] = field(default_factory=list)


def read_upload(upload) -> list[Table]:
    """Every recognisable table in an uploaded .xlsx or .csv file."""
    name = (upload.name or "").lower()
    if name.endswith(".csv"):
        return [_read_csv(upload)]
    if name.endswith(".xlsx"):
        return _read_xlsx(upload)
    raise FileRefused(_("Upload an Excel workbook (.xlsx) or a CSV file."))


def _read_csv(upload) -> Table:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The CSV file is not UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”.")
        ) from exc
    dialect: type[csv.Dialect] = csv.excel
    with contextlib.suppress(csv.Error):  # one column, or too regular to guess: Excel's default
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    table = _table(enumerate(csv.reader(io.StringIO(text), dialect), start=1), upload.name)
    if table is None:
        raise FileRefused(_no_header_message(upload.name))
    return table


def _read_xlsx(upload) -> list[Table]:
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(_("This file is not a readable Excel workbook (.xlsx).")) from exc
    tables = []
    try:
        for ws in book.worksheets:
            merged = _merged_ranges(ws)
            rows = _filled(ws.iter_rows(values_only=True), merged)
            table = _table(enumerate(rows, start=1), ws.title)
            if table is not None:
                tables.append(table)
    finally:
        book.close()
    if not tables:
        raise FileRefused(_no_header_message(upload.name))
    return tables


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_col, min_row, max_col, max_row); read-only sheets do not expose them, so read
    the sheet's <mergeCell> elements (openpyxl's private source stream, read once more)."""
    source = getattr(ws, "_get_source", None)
    if source is None:
        return []
    out = []
    for _event, element in iterparse(source()):
        if element.tag == _MERGE_TAG:
            bounds = range_boundaries(element.get("ref"))
            if (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1) <= MAX_MERGED_CELLS:
                out.append(bounds)
        element.clear()
    return out


def _filled(rows, merged) -> Iterator[tuple]:
    """A merged cell's value repeated over the whole range (a unit name merged over its systems)."""
    pending = sorted(merged, key=lambda bounds: bounds[1], reverse=True)
    active: list[tuple[int, int, int, int]] = []
    anchor_values: dict[tuple[int, int], object] = {}
    for number, row in enumerate(rows, start=1):
        while pending and pending[-1][1] == number:
            active.append(pending.pop())
        if not active:
            yield row
            continue
        values = list(row)
        for min_col, min_row, max_col, _max_row in active:
            key = (min_row, min_col)
            values.extend([None] * (max_col - len(values)))
            if number == min_row:
                anchor_values[key] = values[min_col - 1]
            for col in range(min_col, max_col + 1):
                if (number, col) != key:
                    values[col - 1] = anchor_values.get(key)
        active = [bounds for bounds in active if bounds[3] > number]
        yield tuple(values)


def _table(numbered_rows, name: str) -> Table | None:
    """Find the header row among the first rows, then read the rows under it.

    Headings typed in a legacy font match nothing: say so rather than "no header row"."""
    legacy: tuple[int, str] | None = None
    for number, row in numbered_rows:
        found = _match_header(row)
        if found:
            sheet, positions = found
            table = Table(sheet, name, number, [f for f, _i in positions])
            for data_number, data in numbered_rows:
                values = {f: cell_text(data[i] if i < len(data) else None) for f, i in positions}
                if any(values.values()):
                    table.rows.append(Row(data_number, values))
            return table
        texts = [cell_text(cell) for cell in row]
        legacy = legacy or next(((number, t) for t in texts if looks_legacy(t)), None)
        if number >= HEADER_SEARCH_ROWS:
            break
    if legacy is not None:
        raise FileRefused(_legacy_message(name, *legacy))
    return None


def _match_header(row) -> tuple[Sheet, list[tuple[str, int]]] | None:
    best = None
    for sheet in SHEETS:
        positions: dict[str, int] = {}
        for index, cell in enumerate(row):
            column = sheet.column_for(fold(cell_text(cell)))
            if column is not None and column.field not in positions:
                positions[column.field] = index
        required = {c.field for c in sheet.columns if c.required}
        if required <= set(positions) and (best is None or len(positions) > len(best[1])):
            best = (sheet, sorted(positions.items(), key=lambda item: item[1]))
    return best


def cell_text(value) -> str:
    """A cell as text: dates as dd/mm/yyyy, whole numbers without '.0', the export's apostrophe undone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]  # the export's guard against formula injection
    return text


def looks_legacy(text: str) -> bool:
    """True for text typed in a TCVN3 or VNI font, e.g. “Së Khoa häc” or “Sôû Khoa hoïc”."""
    for match in _LEGACY.finditer(text):
        pair = match.group()
        if pair[1] in _TRAILING_SYMBOLS:
            continue  # “Windows®”, “25°”: a symbol after a word; TCVN3's đ (®) starts its syllable
        if any("\u00a1" <= ch <= "\u00ff" and ch not in _VIETNAMESE_LATIN1 for ch in pair):
            return True
    return False


def refuse_legacy(tables: list[Table]) -> None:
    """Refuse the file at the first cell in a legacy font: converting by guess would corrupt names."""
    for table in tables:
        for row in table.rows:
            for value in row.values.values():
                if looks_legacy(value):
                    raise FileRefused(_legacy_message(table.name, row.number, value))


def _legacy_message(sheet: str, row: int, text: str) -> str:
    return _(
        "Sheet “%(sheet)s”, row %(row)s: “%(text)s” looks typed in an old Vietnamese "
        "font (TCVN3/.VnTime or VNI). Convert the file to Unicode (e.g. Unikey's "
        "converter), then upload it again."
    ) % {"sheet": sheet, "row": row, "text": text[:60]}


def _no_header_message(name: str) -> str:
    return _(
        "No header row found in “%(name)s” within its first %(n)s rows. Use the template's headings, "
        "e.g. “Tên đơn vị”, “Tên hệ thống”, “Đơn vị vận hành”, “Cấp độ”."
    ) % {"name": name, "n": HEADER_SEARCH_ROWS}
