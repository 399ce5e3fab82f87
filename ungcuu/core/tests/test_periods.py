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


# --- form 05's periods and cut-offs (issue 13 point 13; DOMAIN.md §g, TT20 Art. 6) ----------------------


def test_form05_half_year_closes_on_14_june_and_is_due_20_june_tt20_art_6():
    period = Period.reporting(2026, "R6")
    assert (period.start, period.end, period.due) == (D(2025, 12, 15), D(2026, 6, 14), D(2026, 6, 20))
    assert Period.parse(period.key) == period and period.key == "2026-R6"
    assert period.label_vi == "6 tháng đầu năm 2026 (từ ngày 15/12/2025 đến ngày 14/06/2026)"


def test_form05_annual_report_closes_on_14_december_and_is_due_15_december_tt20_art_6():
    period = Period.reporting(2026, "RY")
    assert (period.start, period.end, period.due) == (D(2025, 12, 15), D(2026, 12, 14), D(2026, 12, 15))
    assert period.previous() == Period.reporting(2025, "RY")


def test_form05_period_offered_is_the_one_due_next_as_the_obligation_calendar_shows_tt20_art_6():
    fixed = seed_values_by_code()["NETWORK_MEMBER_SUMMARY_FORM05"]["fixed_dates"]
    for today, expected in [
        (D(2026, 1, 10), Period.reporting(2026, "R6")),
        (D(2026, 6, 20), Period.reporting(2026, "R6")),
        (D(2026, 6, 21), Period.reporting(2026, "RY")),
        (D(2026, 12, 15), Period.reporting(2026, "RY")),
        (D(2026, 12, 16), Period.reporting(2027, "R6")),
    ]:
        offered = Period.reporting_due_next(today)
        assert offered == expected, today
        # the obligation's occurrence open on that day falls due on the same day as the offered report
        assert covering_period(on=today, period_months=6, fixed_dates=fixed).end == offered.due, today


def seed_values_by_code():
    from ungcuu.obligations.seed import seed_values  # noqa: PLC0415 (reads settings: import at test time)

    return {v["code"]: v for v in seed_values()}
