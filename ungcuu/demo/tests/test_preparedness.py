"""The demo's preparedness: plans in every state, drills over two years, findings, courses; fast."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ungcuu.demo.generator import REFERENCE_DATE, build_demo_province
from ungcuu.demo.preparedness import build_demo
from ungcuu.obligations.models import Occurrence
from ungcuu.preparedness.models import Drill, FollowUpAction, ResponsePlan, TrainingCourse
from ungcuu.systems.models import InformationSystem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_preparedness_covers_every_state_quickly():
    build_demo_province(2026)
    # A query budget rather than a stopwatch: it is what keeps the demo quick, and unlike wall time it
    # does not fail on a busy CI runner.
    with CaptureQueriesContext(connection) as queries:
        summary = build_demo(2026)
    assert summary.startswith("Preparedness: ")
    assert len(queries) < 4000, len(queries)
    plans = ResponsePlan.objects.all()
    high = InformationSystem.objects.filter(security_level__gte=3)
    assert plans.current(REFERENCE_DATE).exists() and plans.out_of_date(REFERENCE_DATE).exists()
    assert plans.filter(status="draft").exists() and plans.filter(status="superseded").exists()
    assert high.filter(response_plans__isnull=False).distinct().count() >= high.count() * 0.7
    drills = Drill.objects.all()
    assert drills.held().filter(kind="live_fire").exists() and drills.held().filter(kind="tabletop").exists()
    assert drills.filter(status="planned").exists() and drills.filter(status="cancelled").exists()
    assert {d.held_on.year for d in drills.held()} >= {REFERENCE_DATE.year - 1, REFERENCE_DATE.year}
    actions = FollowUpAction.objects.all()
    assert actions.open().exists() and actions.filter(status="done").exists()
    assert TrainingCourse.objects.count() >= 4
    assert Occurrence.objects.filter(definition__code="LIVE_FIRE_DRILL", status="done").exists()


def fingerprint() -> tuple:
    plans = ResponsePlan.objects.order_by("pk").values_list(
        "title", "status", "approved_on", "decision_number"
    )
    drills = Drill.objects.order_by("pk").values_list("title", "kind", "status", "held_on")
    actions = FollowUpAction.objects.order_by("pk").values_list("description", "due_on", "status")
    return list(plans), list(drills), list(actions)


def test_demo_is_deterministic():
    runs = []
    for _ in range(2):
        with transaction.atomic():
            build_demo_province(7)
            runs.append((build_demo(7), fingerprint()))
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
