"""Date arithmetic of obligation periods: pure functions, no database.

A periodic obligation's periods are aligned on 1 January (6 months: January-June and July-December) and
fall due on the period's last day. Fixed due dates (form 05: 20 June and 15 December) cut the year into
periods that run from the day after one date up to the next.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

Period = tuple[datetime.date, datetime.date]  # (period_start, due_on)

DAY = datetime.timedelta(days=1)


def _month_start(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def fixed_date(year: int, month_day: str) -> datetime.date:
    """20 June of `year` from "06-20"; 29 February becomes the 28th in a common year."""
    month, day = map(int, month_day.split("-"))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return datetime.date(year, month, day - 1)


def _fixed_dues(month_days: list[str], first_year: int, last_year: int) -> list[datetime.date]:
    return sorted(fixed_date(y, md) for y in range(first_year, last_year + 1) for md in set(month_days))


def covering_period(*, on: datetime.date, period_months: int | None, fixed_dates: list[str]) -> Period:
    """The period that contains `on`."""
    if fixed_dates:
        dues = _fixed_dues(fixed_dates, on.year - 1, on.year + 1)
        index = next(i for i, due in enumerate(dues) if due >= on)
        return dues[index - 1] + DAY, dues[index]
    if not period_months:
        raise ValueError("a periodic obligation needs a period or fixed dates")
    month = _month_index(on)
    start = month - month % period_months
    return _month_start(start), _month_start(start + period_months) - DAY


def periods_due_between(
    *, start: datetime.date, end: datetime.date, period_months: int | None, fixed_dates: list[str]
) -> Iterator[Period]:
    """Every period whose due date falls in [start, end], in order."""
    if start > end:
        return
    period = covering_period(on=start, period_months=period_months, fixed_dates=fixed_dates)
    while period[1] <= end:
        yield period
        period = covering_period(on=period[1] + DAY, period_months=period_months, fixed_dates=fixed_dates)
