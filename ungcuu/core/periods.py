"""Periods: halves, years, quarters, a run of months or of days, and what "in the period" means.

One type for every app that reasons about periods: the reports (a half, a quarter) and the obligations
(the period an occurrence covers, up to its due date). Month arithmetic is `dateutil.relativedelta`'s.

For the reports, an incident belongs to the period in which it was reported to the platform
(`reported_at`), in the platform's time zone: that is when the network received it, and the column is
indexed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ungcuu.core import taxonomy

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
DAY = datetime.timedelta(days=1)
MONTH = relativedelta(months=1)
KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>H[12]|Q[1-4]|R6|RY|M(?P<m1>\d{2})-(?P<m2>\d{2})))?$")

# Form 05's periods (DOMAIN.md §g, TT20 Art. 6): the half-year report is due before 20 June and the annual
# report before 15 December (the due dates are the taxonomy's, `reporting_due`). Their figures close on the
# 14th of the month, counted from 15 December of the previous year: the reporting regime of state bodies
# (Decree 09/2019/NĐ-CP Art. 12) [P]. Span "R6" is that half-year, "RY" that year; `key` names them by the
# year they end in ("2026-R6" runs from 15/12/2025 to 14/06/2026).
REPORTING_CLOSE = {"R6": 6, "RY": 12}  # the month whose 14th closes the figures
REPORTING_OBLIGATION = "NETWORK_MEMBER_SUMMARY_FORM05"
REPORTING_DEADLINE = {"R6": "half_year", "RY": "annual"}


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end` (both included), with the kind of span they form.

    The reports' periods are whole months (span "Y", "H1", "H2", "Q1".."Q4" or "M" for a run of months);
    an obligation's period may be cut by fixed due dates instead (span "D", a run of days).
    """

    start: datetime.date
    end: datetime.date
    span: str = "D"

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "Y")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        first = 1 if half == 1 else 7
        return cls.months(year, first, first + 5, span=f"H{half}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls.months(year, first, first + 2, span=f"Q{quarter}")

    @classmethod
    def months(cls, year: int, first: int, last: int, span: str = "M") -> Period:
        return cls(datetime.date(year, first, 1), datetime.date(year, last, 1) + relativedelta(day=31), span)

    @classmethod
    def reporting(cls, year: int, span: str) -> Period:
        """Form 05's half-year ("R6") or year ("RY") ending in `year`, with the reporting cut-offs."""
        return cls(datetime.date(year - 1, 12, 15), datetime.date(year, REPORTING_CLOSE[span], 14), span)

    @classmethod
    def reporting_due_next(cls, today: datetime.date | None = None) -> Period:
        """The form 05 period whose report is due next (today included): the one to prepare now, as the
        obligation's calendar shows it."""
        today = today or timezone.localdate()
        for year, span in ((today.year, "R6"), (today.year, "RY"), (today.year + 1, "R6")):
            period = cls.reporting(year, span)
            if today <= period.due:  # type: ignore[operator]
                return period
        raise AssertionError("unreachable: the next R6 is always due after today")

    @property
    def is_reporting(self) -> bool:
        return self.span in REPORTING_CLOSE

    @property
    def due(self) -> datetime.date | None:
        """A form 05 period's due date, read from the obligation's deadlines in the taxonomy (one source)."""
        if not self.is_reporting:
            return None
        return reporting_due(self.end.year, self.span)

    @classmethod
    def parse(cls, key: str) -> Period:
        """`2026`, `2026-H1`, `2026-Q3` or `2026-M01-05`; raises ValueError for anything else."""
        match = KEY.match(key.strip())
        if not match:
            raise ValueError(key)
        year, part = int(match["year"]), match["part"] or ""
        if not 2000 <= year <= 2100:
            raise ValueError(key)
        if not part:
            return cls.year(year)
        if part[0] == "H":
            return cls.half(year, int(part[1]))
        if part[0] == "Q":
            return cls.quarter(year, int(part[1]))
        if part[0] == "R":
            return cls.reporting(year, part)
        first, last = int(match["m1"]), int(match["m2"])
        if not 1 <= first <= last <= 12:
            raise ValueError(key)
        return cls.months(year, first, last)

    @classmethod
    def current_half(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls.half(today.year, 1 if today.month <= 6 else 2)

    @classmethod
    def last_complete_half(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls.half(today.year - 1, 2) if today.month <= 6 else cls.half(today.year, 1)

    @classmethod
    def last_complete_quarter(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        quarter = (today.month - 1) // 3
        return cls.quarter(today.year - 1, 4) if quarter == 0 else cls.quarter(today.year, quarter)

    @property
    def key(self) -> str:
        if self.is_reporting:
            return f"{self.end.year}-{self.span}"
        if self.span == "Y":
            return str(self.start.year)
        if self.span == "M":
            return f"{self.start.year}-M{self.start.month:02d}-{self.end.month:02d}"
        return f"{self.start.year}-{self.span}"

    @property
    def from_month(self) -> str:
        return f"{self.start.month:02d}/{self.start.year}"

    @property
    def to_month(self) -> str:
        return f"{self.end.month:02d}/{self.end.year}"

    @property
    def label_vi(self) -> str:
        """How an official document names the period (documents are always in Vietnamese)."""
        year = self.start.year
        if self.is_reporting:
            part = "6 tháng đầu năm" if self.span == "R6" else "năm"
            return f"{part} {self.end.year} (từ ngày {self.range_vi})"
        if self.span == "Y":
            return f"năm {year}"
        if self.span == "H1":
            return f"6 tháng đầu năm {year}"
        if self.span == "H2":
            return f"6 tháng cuối năm {year}"
        if self.span.startswith("Q"):
            return f"quý {ROMAN[int(self.span[1])]} năm {year}"
        return f"từ tháng {self.from_month} đến tháng {self.to_month}"

    @property
    def range_vi(self) -> str:
        """ "15/12/2025 đến ngày 14/06/2026": the days a period covers, as a document writes them."""
        return f"{self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[first day 00:00, day after the last 00:00) in the platform's time zone."""
        tz = timezone.get_current_timezone()
        begin = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        after = self.end + DAY
        return begin, datetime.datetime.combine(after, datetime.time.min, tzinfo=tz)

    def previous(self) -> Period:
        """The period of the same length just before (for "compared with the previous quarter")."""
        if self.span == "Y":
            return Period.year(self.start.year - 1)
        if self.is_reporting:
            return Period.reporting(self.end.year - 1, self.span)
        length = relativedelta(self.end + DAY, self.start)
        start, end = self.start - length, self.start - DAY
        if self.span.startswith("Q"):
            return Period(start, end, f"Q{(start.month - 1) // 3 + 1}")
        if self.span.startswith("H"):
            return Period(start, end, "H1" if start.month == 1 else "H2")
        return Period(start, end, "M")

    def month_starts(self) -> list[datetime.date]:
        out, cursor = [], self.start
        while cursor <= self.end:
            out.append(cursor)
            cursor += MONTH
        return out

    def has_started(self, today: datetime.date | None = None) -> bool:
        return self.start <= (today or timezone.localdate())


def reporting_due(year: int, span: str) -> datetime.date:
    """The due date of form 05's report `span` ending in `year`: "before 06-20" in the taxonomy → 20 June."""
    deadline = taxonomy.recurring_obligations()[REPORTING_OBLIGATION]["deadlines"][REPORTING_DEADLINE[span]]
    month, day = map(int, deadline.split()[-1].split("-"))
    return datetime.date(year, month, day)
