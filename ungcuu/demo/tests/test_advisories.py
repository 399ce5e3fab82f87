"""The advisories of the demo province: a year of them, mixed answers, some overdue, shared indicators."""

import pytest
from django.test import override_settings

from ungcuu.advisories.models import Advisory, AdvisoryEvent, AdvisorySystemState, AdvisoryTarget, Indicator
from ungcuu.demo import advisories as demo
from ungcuu.demo.generator import build_demo_province
from ungcuu.demo.incidents import build_demo_incidents
from ungcuu.notifications.models import Notification

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def summary():
    with override_settings(TASKS=DUMMY_TASKS):  # as load_demo runs it
        build_demo_province(2026)
        build_demo_incidents(2026, count=60)
        return demo.build_demo(2026)


def test_demo_advisories_tell_a_year_of_follow_up(summary):
    """One test: the province takes seconds to build, so it is built once."""
    assert summary.startswith(f"{len(demo.SPECS)} advisories")
    statuses = set(Advisory.objects.values_list("status", flat=True))
    assert statuses == {"draft", "published", "closed"}
    published = Advisory.objects.exclude(status="draft").order_by("published_at")
    assert (published.last().published_at - published.first().published_at).days > 300
    products = {p for a in published for p in a.products.values_list("product", flat=True)}
    assert {"Tomcat", "WordPress", "IIS", "Collaboration", "nginx", "Portal"} <= products
    assert set(AdvisoryTarget.objects.values_list("status", flat=True)) >= {
        "sent",
        "acknowledged",
        "completed",
    }
    assert AdvisorySystemState.objects.filter(status="in_progress").exists()
    assert AdvisoryTarget.objects.overdue(demo.END).count() >= 3
    assert AdvisoryEvent.objects.filter(kind="reminded").exists()
    assert AdvisoryEvent.objects.filter(kind="escalated").exists()
    # One indicator seen in both an incident and an advisory.
    both = Indicator.objects.filter(advisory_links__isnull=False, incident_links__isnull=False).distinct()
    assert both.filter(value="dichvucong-ninhbinh.com").exists()
    assert "seen in both" in summary
    # The demo's history is not mailed again when `make run` starts the worker.
    pending = Notification.objects.filter(event__startswith="advisory_", state__in=["pending", "failed"])
    assert not pending.exists()
