"""Periods: parsing, the Vietnamese names documents use, local bounds, and the period before."""

import datetime

import pytest

from ungcuu.core.nd30.model import vietnamese_date
from ungcuu.core.periods import Period
from ungcuu.reports.serialize import freeze, thaw


@pytest.mark.parametrize(
    ("key", "start", "end", "label"),
    [
        ("2026", (2026, 1, 1), (2026, 12, 31), "năm 2026"),
        ("2026-H1", (2026, 1, 1), (2026, 6, 30), "6 tháng đầu năm 2026"),
        ("2026-H2", (2026, 7, 1), (2026, 12, 31), "6 tháng cuối năm 2026"),
        ("2024-Q1", (2024, 1, 1), (2024, 3, 31), "quý I năm 2024"),
        ("2026-M02-05", (2026, 2, 1), (2026, 5, 31), "từ tháng 02/2026 đến tháng 05/2026"),
    ],
)
def test_keys_parse_to_whole_months_with_their_official_names(key, start, end, label):
    period = Period.parse(key)

    assert (period.start, period.end) == (datetime.date(*start), datetime.date(*end))
    assert period.label_vi == label and period.key == key


@pytest.mark.parametrize("key", ["", "26", "2026-H3", "2026-Q5", "2026-M05-02", "1999", "2026-M00-03"])
def test_bad_keys_are_refused(key):
    with pytest.raises(ValueError):
        Period.parse(key)


def test_bounds_are_local_midnights():
    begin, after = Period.half(2026, 1).bounds()

    assert begin.isoformat() == "2026-01-01T00:00:00+07:00"
    assert after.isoformat() == "2026-07-01T00:00:00+07:00"


def test_the_period_before_has_the_same_kind():
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.quarter(2026, 3).previous().label_vi == "quý II năm 2026"
    assert Period.half(2026, 1).previous() == Period.half(2025, 2)
    assert Period.year(2026).previous() == Period.year(2025)
    assert Period.months(2026, 3, 4).previous() == Period.months(2026, 1, 2)


def test_last_complete_periods():
    assert Period.last_complete_half(datetime.date(2026, 6, 30)) == Period.half(2025, 2)
    assert Period.last_complete_half(datetime.date(2026, 7, 1)) == Period.half(2026, 1)
    assert Period.last_complete_quarter(datetime.date(2026, 2, 10)) == Period.quarter(2025, 4)


def test_vietnamese_dates_put_a_zero_before_small_days_and_the_first_two_months():
    assert vietnamese_date(datetime.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert vietnamese_date(datetime.date(2026, 11, 29)) == "ngày 29 tháng 11 năm 2026"


def test_a_period_survives_freezing():
    from ungcuu.reports.builders import Form05, Form05Row

    form = Form05(Period.half(2026, 1), "Sở Y tế", "", "", [Form05Row("ATTACK.DOS", "Từ chối dịch vụ", 3)],
                  Form05Row("TOTAL", "Tổng cộng", 3), ["VNPT"], [])  # fmt: skip

    assert thaw(Form05, freeze(form)) == form
