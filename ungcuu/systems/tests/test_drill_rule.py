"""A live-fire drill "at least once a year" (DOMAIN.md §g, CT18): its reading is a setting."""

import datetime

import pytest

from ungcuu.reports import figures
from ungcuu.systems.models import InformationSystem, drill_current_since

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("rule", "since"), [("calendar", datetime.date(2026, 1, 1)), ("rolling", datetime.date(2025, 3, 2))]
)
def test_drill_at_least_once_a_year_is_calendar_or_rolling_by_setting_ct18(settings, rule, since):
    settings.DRILL_YEAR_RULE = rule
    assert drill_current_since(AS_OF) == since


@pytest.mark.parametrize(("rule", "drilled"), [("calendar", 0), ("rolling", 1)])
def test_registry_summary_counts_drilled_systems_by_the_year_rule_ct18(settings, system_a, rule, drilled):
    settings.DRILL_YEAR_RULE = rule
    InformationSystem.objects.filter(pk=system_a.pk).update(last_drill_on=datetime.date(2025, 11, 20))
    summary = figures.systems_summary(InformationSystem.objects.all(), AS_OF)
    assert summary["drilled"] == drilled
