"""Date arithmetic of obligation periods: pure functions, no database.

A periodic obligation's periods are aligned on 1 January (6 months: January-June and July-December) and
fall due on the period's last day. Fixed due dates (form 05: 20 June and 15 December) cut the year into
periods that run from the day after one date up to the next. A period is the shared `core.periods.Period`
(its `end` is the due date).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta

from ungcuu.core.periods import DAY, Period


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
        return Period(dues[index - 1] + DAY, dues[index])
    if not period_months:
        raise ValueError("a periodic obligation needs a period or fixed dates")
    # Periods are counted from January of year 0, so any length lines up on 1 January as often as it can.
    into_period = (on.year * 12 + on.month - 1) % period_months
    start = on.replace(day=1) - relativedelta(months=into_period)
    return Period(start, start + relativedelta(months=period_months) - DAY, "M")


def periods_due_between(
    *, start: datetime.date, end: datetime.date, period_months: int | None, fixed_dates: list[str]
) -> Iterator[Period]:
    """Every period whose due date falls in [start, end], in order."""
    if start > end:
        return
    period = covering_period(on=start, period_months=period_months, fixed_dates=fixed_dates)
    while period.end <= end:
        yield period
        period = covering_period(on=period.end + DAY, period_months=period_months, fixed_dates=fixed_dates)
