"""The compliance board's figures, aggregated in the database, and their CSV/XLSX exports.

"Met on time" = done on or before the due date. The window is the occurrences that fell due in the last
12 months; waived ones do not count either way. Overdue counts every occurrence still overdue, however old.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ungcuu.core import exports
from ungcuu.obligations.models import Occurrence

Status = Occurrence.Status
# Share of on-time occurrences from which a unit shows green; below RED_BELOW it shows red.
GREEN_FROM = 0.9
RED_BELOW = 0.6


@dataclass(frozen=True)
class Row:
    """One organization's line on the board."""

    organization_id: int
    code: str
    name: str
    total: int
    on_time: int
    late: int
    overdue: int
    open: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)

    @property
    def colour(self) -> str:
        """ok (green), warn (amber) or danger (red): what the board and the tests read."""
        if self.overdue or (self.share is not None and self.share < RED_BELOW):
            return "danger"
        return "ok" if self.share is None or self.share >= GREEN_FROM else "warn"


def board_rows(occurrences: QuerySet[Occurrence], *, now: datetime.date) -> list[Row]:
    """Per organization: due in the window, met on time, late, overdue now; overdue first."""
    window = Q(due_on__gt=now - datetime.timedelta(days=365), due_on__lte=now) & ~Q(status=Status.WAIVED)
    done = Q(status=Status.DONE)
    rows = (
        occurrences.values("organization_id", "organization__code", "organization__name")
        .annotate(
            total=Count("id", filter=window),
            on_time=Count("id", filter=window & done & Q(done_on__lte=F("due_on"))),
            late=Count("id", filter=window & done & Q(done_on__gt=F("due_on"))),
            overdue=Count("id", filter=Q(status=Status.OVERDUE)),
            open=Count("id", filter=Q(status=Status.DUE, due_on__gte=now)),
        )
        .annotate(
            share=Case(
                When(total=0, then=Value(None, output_field=FloatField())),
                default=ExpressionWrapper(F("on_time") * 1.0 / F("total"), output_field=FloatField()),
            )
        )
        .order_by(F("overdue").desc(), F("share").asc(nulls_last=True), "organization__name")
    )
    return [
        Row(
            r["organization_id"],
            r["organization__code"],
            r["organization__name"],
            r["total"],
            r["on_time"],
            r["late"],
            r["overdue"],
            r["open"],
        )
        for r in rows
    ]


def overdue_items(occurrences: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    return occurrences.filter(status=Status.OVERDUE).select_related("definition", "organization", "system")


# The board lists at most this many overdue occurrences under its rows (the calendar has them all).
OVERDUE_SHOWN = 200


@dataclass(frozen=True)
class Board:
    """The compliance board as `user` sees it: the page and the API both show this."""

    today: datetime.date
    rows: list[Row]
    overdue: list[Occurrence]


def board(user, *, today: datetime.date) -> Board:
    """Per organization the user sees (all of them for the coordinator): the share met on time."""
    occurrences = Occurrence.objects.visible_to(user)
    overdue = list(overdue_items(occurrences)[:OVERDUE_SHOWN])
    return Board(today, board_rows(occurrences, now=today), overdue)


def board_file(rows: list[Row], fmt: str, *, now: datetime.date) -> tuple[bytes, str, str]:
    """The board's rows as a CSV or XLSX download: (content, content type, file name)."""
    if fmt == "csv":
        return to_csv(rows), exports.CSV_TYPE, f"compliance-{now}.csv"
    return to_xlsx(rows, now=now), exports.XLSX_TYPE, f"compliance-{now}.xlsx"


def _header() -> list[str]:
    return [
        _("Code"),
        _("Organization"),
        _("Due in the last 12 months"),
        _("On time"),
        _("Late"),
        _("Overdue now"),
        _("Share on time (%)"),
    ]


def _values(row: Row) -> list:
    return [row.code, row.name, row.total, row.on_time, row.late, row.overdue, row.percent]


def to_csv(rows: list[Row]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Vietnamese names right."""
    return exports.csv_bytes([_header(), *(_values(r) for r in rows)])


def to_xlsx(rows: list[Row], *, now: datetime.date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Compliance")[:31]
    title = _("Compliance with obligations, as of %(date)s") % {"date": now.strftime("%d/%m/%Y")}
    exports.append_row(sheet, [title])
    exports.append_row(sheet, _header())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        exports.append_row(sheet, _values(row))
    for letter, width in zip("ABCDEFG", (16, 48, 14, 10, 10, 12, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
