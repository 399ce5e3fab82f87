"""Live-fire drills "at least once a year" (issue 13 point 10; DOMAIN.md §g, CT18): one source of truth
for a system's last drill, and occurrences that follow the DRILL_YEAR_RULE setting."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ungcuu.obligations import engine, services
from ungcuu.obligations.models import Occurrence
from ungcuu.systems import services as system_services
from ungcuu.systems.models import InformationSystem

pytestmark = pytest.mark.django_db
D = datetime.date


def _drill_2026(system):
    return Occurrence.objects.get(
        definition__code="LIVE_FIRE_DRILL", system=system, period_start=D(2026, 1, 1)
    )


def _last_drill(system):
    return InformationSystem.objects.get(pk=system.pk).last_drill_on


def test_drill_evidence_recorded_by_hand_moves_the_registrys_last_drill_ct18(system_a, manager):
    with time_machine.travel(D(2026, 4, 1), tick=False):
        engine.run_obligations(now=D(2026, 4, 1))
        services.mark_occurrence_done(
            actor=manager,
            occurrence=_drill_2026(system_a),
            on=D(2026, 3, 10),
            evidence_kind="other",
            note="BB",
        )
    assert _last_drill(system_a) == D(2026, 3, 10)


def test_registry_last_drill_is_not_typed_over_one_source_of_truth_ct18(system_a, manager):
    with pytest.raises(ValidationError) as refused:
        system_services.update_system(actor=manager, system=system_a, last_drill_on=D(2026, 1, 5))
    assert "last_drill_on" in refused.value.message_dict
    assert _last_drill(system_a) is None


def test_rolling_rule_makes_the_drill_due_12_months_after_the_last_one_ct18(system_a, manager, settings):
    settings.DRILL_YEAR_RULE = "rolling"
    InformationSystem.objects.filter(pk=system_a.pk).update(last_drill_on=D(2025, 3, 10))
    with time_machine.travel(D(2026, 4, 1), tick=False):
        engine.run_obligations(now=D(2026, 4, 1))
    occurrence = _drill_2026(system_a)
    assert (occurrence.due_on, occurrence.status) == (D(2026, 3, 9), Occurrence.Status.OVERDUE)


def test_calendar_rule_makes_the_drill_due_at_the_years_end_ct18(system_a, manager, settings):
    settings.DRILL_YEAR_RULE = "calendar"
    InformationSystem.objects.filter(pk=system_a.pk).update(last_drill_on=D(2025, 3, 10))
    with time_machine.travel(D(2026, 4, 1), tick=False):
        engine.run_obligations(now=D(2026, 4, 1))
    occurrence = _drill_2026(system_a)
    assert (occurrence.due_on, occurrence.status) == (D(2026, 12, 31), Occurrence.Status.DUE)


def test_a_drill_held_moves_the_next_years_due_date_under_the_rolling_rule_ct18(system_a, manager, settings):
    settings.DRILL_YEAR_RULE = "rolling"
    with time_machine.travel(D(2026, 4, 1), tick=False):
        engine.run_obligations(now=D(2026, 4, 1))
        services.mark_occurrence_done(
            actor=manager,
            occurrence=_drill_2026(system_a),
            on=D(2026, 3, 10),
            evidence_kind="other",
            note="BB",
        )
    with time_machine.travel(D(2026, 12, 1), tick=False):
        engine.run_obligations(now=D(2026, 12, 1))  # 13 months ahead: 2027's occurrence is planned
    following = Occurrence.objects.get(
        definition__code="LIVE_FIRE_DRILL", system=system_a, period_start=D(2027, 1, 1)
    )
    assert following.due_on == D(2027, 3, 9)
