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

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
DAY = datetime.timedelta(days=1)
MONTH = relativedelta(months=1)
KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>H[12]|Q[1-4]|M(?P<m1>\d{2})-(?P<m2>\d{2})))?$")


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
        if self.span == "Y":
            return f"năm {year}"
        if self.span == "H1":
            return f"6 tháng đầu năm {year}"
        if self.span == "H2":
            return f"6 tháng cuối năm {year}"
        if self.span.startswith("Q"):
            return f"quý {ROMAN[int(self.span[1])]} năm {year}"
        return f"từ tháng {self.from_month} đến tháng {self.to_month}"

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
