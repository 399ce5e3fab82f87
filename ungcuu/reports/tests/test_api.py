"""The periodic-reports API: the pages' gate (drafts are the unit's own), read-only."""

import pytest
import time_machine

from ungcuu.reports import services
from ungcuu.reports.models import PeriodicReport
from ungcuu.reports.tests.world import at

pytestmark = pytest.mark.django_db
URL = "/api/v1/periodic-reports/"


@pytest.fixture
def draft(org_a, manager):
    with time_machine.travel(at(7, 5), tick=False):
        return services.start_periodic_report(
            actor=manager, organization=org_a, kind="form05", span="annual", year=2026
        )


def test_unit_lists_its_drafts_others_do_not(api_for, draft, viewer, outsider, coordinator, national):
    assert [r["id"] for r in api_for(viewer).get(URL).json()["results"]] == [draft.pk]
    for user in (outsider, coordinator, national):
        assert api_for(user).get(URL).json()["results"] == [], user
        assert api_for(user).get(f"{URL}{draft.pk}/").status_code == 404


def test_sent_form05_reaches_the_national_coordinator_with_its_frozen_figures(
    api_for, world, draft, manager, national
):
    services.submit_periodic_report(actor=manager, report=draft)

    body = api_for(national).get(f"{URL}{draft.pk}/").json()

    assert body["status"] == "submitted" and body["organization_code"] == "SO-ALPHA"
    assert body["figures"]["total"]["count"] == 5  # the whole year: A1-A4 and A7


def test_api_is_read_only(api_for, draft, manager):
    before = list(PeriodicReport.objects.values_list("status", "narrative"))
    assert api_for(manager).post(URL, {"organization": draft.organization_id}).status_code == 405
    assert api_for(manager).patch(f"{URL}{draft.pk}/", {"narrative": "x"}).status_code == 405
    assert list(PeriodicReport.objects.values_list("status", "narrative")) == before
