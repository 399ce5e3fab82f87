"""The reports demo: periodic reports of the last halves through the services, and damage figures."""

import pytest

from ungcuu.demo.generator import build_demo_province
from ungcuu.demo.incidents import build_demo_incidents
from ungcuu.demo.reports import build_demo
from ungcuu.notifications.models import Notification
from ungcuu.obligations.models import Occurrence
from ungcuu.reports.models import IncidentDamage, PeriodicReport

pytestmark = pytest.mark.django_db


def test_demo_adds_reports_in_every_state_and_damage_figures():
    build_demo_province(2026)
    build_demo_incidents(2026, count=30)

    summary = build_demo(2026)

    assert summary.startswith("reports: 6 periodic reports (5 sent)")
    states = set(PeriodicReport.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "accepted"}
    returned_then_accepted = PeriodicReport.objects.get(organization__code="UBND-HOALU", year=2025)
    assert [e.kind for e in returned_then_accepted.events.all()][-3:] == ["updated", "submitted", "accepted"]
    assert PeriodicReport.objects.filter(kind="form05", status="submitted").count() == 2
    assert all(r.figures for r in PeriodicReport.objects.exclude(status="draft"))
    assert IncidentDamage.objects.exists()
    assert Occurrence.objects.filter(evidence_kind="report", status="done").exists()
    assert not Notification.objects.filter(event__startswith="periodic_report_", state="pending").exists()
