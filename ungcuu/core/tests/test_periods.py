"""The one Period type: month arithmetic over year ends and short months (dateutil.relativedelta's)."""

import datetime

from ungcuu.core.periods import Period
from ungcuu.obligations.periods import covering_period

D = datetime.date


def test_a_run_of_months_ends_on_the_last_day_of_a_short_month():
    assert Period.months(2028, 1, 2).end == D(2028, 2, 29)
    assert Period.months(2026, 1, 2).end == D(2026, 2, 28)


def test_the_period_before_a_run_of_months_crosses_the_year_end():
    assert Period.months(2026, 1, 2).previous() == Period(D(2025, 11, 1), D(2025, 12, 31), "M")
    assert Period.months(2026, 1, 12).previous() == Period.months(2025, 1, 12)


def test_month_starts_cover_every_month_once():
    starts = Period(D(2025, 11, 1), D(2026, 2, 28), "M").month_starts()

    assert starts == [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]


def test_an_obligation_period_is_the_same_type_ending_on_its_due_date():
    half = covering_period(on=D(2026, 8, 15), period_months=6, fixed_dates=[])
    form05 = covering_period(on=D(2026, 8, 15), period_months=None, fixed_dates=["06-20", "12-15"])

    assert half == Period(D(2026, 7, 1), D(2026, 12, 31), "M")
    assert form05 == Period(D(2026, 6, 21), D(2026, 12, 15), "D")
