"""Shaping occurrences for the calendar page: the month grid (Monday first) and month navigation."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from ungcuu.obligations.models import Occurrence

# The colour of a group of occurrences is that of its most pressing one.
URGENCY = [Occurrence.Status.OVERDUE, Occurrence.Status.DUE, Occurrence.Status.DONE, Occurrence.Status.WAIVED]


@dataclass
class DutyGroup:
    """One duty's occurrences on one day: at province scale forty units owe the same report on one
    date, which the calendar shows as one chip with its count, not forty identical ones (issue 15)."""

    definition: object
    items: list[Occurrence]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def status(self) -> str:
        present = {o.status for o in self.items}
        return next(s for s in URGENCY if s in present)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for each status present, most pressing first."""
        return [(s.value, s.label, n) for s in URGENCY if (n := sum(1 for o in self.items if o.status == s))]


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    items: list[Occurrence] = field(default_factory=list)

    @property
    def groups(self) -> list[DutyGroup]:
        """The day's occurrences by duty, in the order the duties first appear."""
        by_duty: dict[int, DutyGroup] = {}
        for occurrence in self.items:
            group = by_duty.setdefault(occurrence.definition_id, DutyGroup(occurrence.definition, []))
            group.items.append(occurrence)
        return list(by_duty.values())


@dataclass(frozen=True)
class Month:
    first: datetime.date

    @classmethod
    def parse(cls, text: str | None, *, today: datetime.date) -> Month:
        if text:
            year, month = map(int, text.split("-"))
            return cls(datetime.date(year, month, 1))
        return cls(today.replace(day=1))

    @property
    def last(self) -> datetime.date:
        return self.first + relativedelta(day=31)

    @property
    def previous(self) -> Month:
        return Month(self.first - relativedelta(months=1))

    @property
    def next(self) -> Month:
        return Month(self.first + relativedelta(months=1))

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"

    def weeks(self) -> list[list[datetime.date]]:
        return calendar.Calendar(firstweekday=0).monthdatescalendar(self.first.year, self.first.month)


def month_grid(month: Month, occurrences, *, today: datetime.date) -> list[list[Day]]:
    """Weeks of days, each day with the occurrences due on it."""
    by_day: dict[datetime.date, list[Occurrence]] = {}
    for occurrence in occurrences:
        by_day.setdefault(occurrence.due_on, []).append(occurrence)
    return [
        [Day(d, d.month == month.first.month, d == today, by_day.get(d, [])) for d in week]
        for week in month.weeks()
    ]
