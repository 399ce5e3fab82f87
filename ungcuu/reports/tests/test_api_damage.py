"""Issue 16 part 5: an incident's damage for form 05 through the API, as the page `reports:damage`: the
coordinators and the operating unit's responders read and record it (`can_record_damage`), anyone else
who sees the incident gets 403, and an incident out of sight 404; `services.record_damage` writes it."""

import pytest

from ungcuu.incidents.models import TimelineEvent
from ungcuu.incidents.tests.factories import reported
from ungcuu.reports.models import IncidentDamage

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(manager, org_a):
    return reported(manager, org_a, "Sự cố Alpha: mã hoá dữ liệu")


def url(incident) -> str:
    return f"/api/v1/incidents/{incident.pk}/damage/"


def test_the_units_responder_records_and_reads_the_damage(api_for, responder, incident):
    client = api_for(responder, scopes=["read", "report"])
    assert client.get(url(incident)).json()["updated_at"] is None  # nothing recorded yet

    body = {
        "amount_vnd": 30_000_000,
        "foreign_help": True,
        "foreign_helpers": " Kaspersky Lab ",
        "note": "Ước",
    }
    response = client.post(url(incident), body, format="json")

    assert response.status_code == 200, response.content
    damage = IncidentDamage.objects.get(incident=incident)
    assert (damage.amount_vnd, damage.foreign_helpers, damage.updated_by) == (
        30_000_000,
        "Kaspersky Lab",
        responder,
    )
    read = client.get(url(incident)).json()
    assert (read["amount_vnd"], read["foreign_help"], read["updated_by"]) == (
        30_000_000,
        True,
        str(responder),
    )
    assert incident.timeline.filter(kind=TimelineEvent.Kind.NOTE, message__contains="30.000.000").exists()


def test_the_coordinator_records_it_again_and_an_unknown_amount_is_zero(
    api_for, coordinator, responder, incident
):
    api_for(responder).post(url(incident), {"amount_vnd": 5}, format="json")

    response = api_for(coordinator).post(
        url(incident), {"amount_vnd": None, "note": "Chưa ước tính"}, format="json"
    )

    assert response.status_code == 200, response.content
    damage = IncidentDamage.objects.get(incident=incident)  # one row per incident, written again
    assert (damage.amount_vnd, damage.foreign_help, damage.updated_by) == (0, False, coordinator)


def test_bad_bodies_are_400_with_the_reason_and_change_nothing(api_for, responder, incident):
    client = api_for(responder)
    for body, field in (
        ({"amount_vnd": -5}, "amount_vnd"),
        ({"amount_vnd": 10**16}, "amount_vnd"),
        ({"amount_vnd": 1, "foreign_help": True}, "foreign_helpers"),  # the service's rule
        ({"amount_vnd": "nhiều"}, "amount_vnd"),
    ):
        response = client.post(url(incident), body, format="json")
        assert response.status_code == 400 and field in response.json(), body
    missing = client.post(url(incident), {"amount_vnd": 1, "foreign_help": True}, format="json").json()
    assert missing["foreign_helpers"] == ["Name the foreign organizations that helped."]
    assert not IncidentDamage.objects.exists()


def test_others_who_see_it_get_403_and_an_outsider_404(api_for, viewer, outsider, incident):
    client = api_for(viewer)  # org A's read-only member sees the incident
    assert client.get(url(incident)).status_code == 403
    assert client.post(url(incident), {"amount_vnd": -1}, format="json").status_code == 403  # before the body
    client = api_for(outsider)
    assert client.get(url(incident)).status_code == 404
    assert client.post(url(incident), {"amount_vnd": 1}, format="json").status_code == 404
    assert not IncidentDamage.objects.exists()


def test_a_read_token_may_not_record(api_for, responder, incident):
    response = api_for(responder, scopes=["read"]).post(url(incident), {"amount_vnd": 1}, format="json")
    assert response.status_code == 403 and "report" in response.json()["detail"]
    assert not IncidentDamage.objects.exists()


def test_a_replay_answers_the_first_recording(api_for, responder, incident):
    client = api_for(responder)
    notes = incident.timeline.filter(kind=TimelineEvent.Kind.NOTE)
    before = notes.count()
    first = client.post(url(incident), {"amount_vnd": 7}, format="json", HTTP_IDEMPOTENCY_KEY="damage-1")
    again = client.post(url(incident), {"amount_vnd": 7}, format="json", HTTP_IDEMPOTENCY_KEY="damage-1")
    assert (
        again.status_code == 200 and again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    )
    assert notes.count() == before + 1  # recorded once


def test_an_unknown_query_parameter_is_400(api_for, responder, incident):
    assert api_for(responder).get(url(incident), {"year": 2026}).status_code == 400
    response = api_for(responder).post(f"{url(incident)}?force=1", {"amount_vnd": 1}, format="json")
    assert response.status_code == 400 and "force" in response.json()
    assert not IncidentDamage.objects.exists()
