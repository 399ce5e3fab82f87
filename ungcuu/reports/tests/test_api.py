"""The periodic-reports API: the pages' gate (drafts are the unit's own) and the pages' lifecycle."""

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


def test_unit_starts_writes_and_submits_through_the_api(api_for, draft, manager, responder, org_a):
    with time_machine.travel(at(7, 6), tick=False):
        body = {"organization": org_a.pk, "kind": "progress", "span": "half_year", "year": 2026, "half": 1}
        started = api_for(responder, scopes=["report"]).post(URL, body, format="json")
        assert started.status_code == 201, started.content
        pk = started.json()["id"]
        written = api_for(responder).patch(f"{URL}{pk}/", {"narrative": "Đã xử lý 5 sự cố."}, format="json")
        assert written.status_code == 200 and written.json()["narrative"] == "Đã xử lý 5 sự cố."
        assert api_for(responder).post(f"{URL}{pk}/submit/").status_code == 403  # the manager submits
        submitted = api_for(manager, scopes=["report"]).post(f"{URL}{pk}/submit/")
        assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
        again = api_for(responder).patch(f"{URL}{pk}/", {"narrative": "x"}, format="json")
        assert again.status_code == 409


def test_coordinator_returns_and_accepts(api_for, draft, manager, coordinator):
    services.submit_periodic_report(actor=manager, report=draft)
    client = api_for(coordinator)
    assert client.post(f"{URL}{draft.pk}/return/", {"reason": ""}, format="json").status_code == 400
    returned = client.post(f"{URL}{draft.pk}/return/", {"reason": "Bổ sung số liệu"}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    services.submit_periodic_report(actor=manager, report=PeriodicReport.objects.get(pk=draft.pk))
    accepted = client.post(f"{URL}{draft.pk}/accept/", {"note": "Đạt"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_refusals_write_nothing(api_for, draft, manager, viewer, outsider, national, org_a):
    body = {"organization": org_a.pk, "kind": "progress", "span": "half_year", "year": 2026, "half": 1}
    assert api_for(viewer).post(URL, body, format="json").status_code == 403
    assert api_for(viewer).patch(f"{URL}{draft.pk}/", {"narrative": "x"}, format="json").status_code == 403
    assert api_for(viewer).post(f"{URL}{draft.pk}/submit/").status_code == 403
    assert api_for(outsider).post(URL, body, format="json").status_code == 400  # not one of its own
    assert api_for(outsider).post(f"{URL}{draft.pk}/submit/").status_code == 404
    services.submit_periodic_report(actor=manager, report=draft)
    before = list(PeriodicReport.objects.values_list("status", "narrative"))
    assert api_for(national).get(f"{URL}{draft.pk}/").status_code == 200
    assert api_for(national).post(f"{URL}{draft.pk}/accept/", {}, format="json").status_code == 403
    assert api_for(manager).post(f"{URL}{draft.pk}/accept/", {}, format="json").status_code == 403
    assert api_for(manager, scopes=["read"]).post(f"{URL}{draft.pk}/submit/").status_code == 403
    assert list(PeriodicReport.objects.values_list("status", "narrative")) == before


def test_deciding_needs_the_coordinate_scope(api_for, draft, manager, coordinator):
    services.submit_periodic_report(actor=manager, report=draft)
    response = api_for(coordinator, scopes=["read", "report"]).post(
        f"{URL}{draft.pk}/accept/", {}, format="json"
    )
    assert response.status_code == 403
    assert PeriodicReport.objects.get(pk=draft.pk).status == "submitted"
