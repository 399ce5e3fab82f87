"""Issue 16 part 5: removing an indicator from an advisory or an incident through the API, through the
page's service (`indicators.remove_indicator`) and its gates: hidden 404, not allowed 403."""

import pytest

from ungcuu.advisories.indicators import add_indicator
from ungcuu.advisories.models import AdvisoryEvent, AdvisoryIndicator, IncidentIndicator
from ungcuu.incidents.models import TimelineEvent

pytestmark = pytest.mark.django_db


def remove_url(owner: str, pk: int, indicator) -> str:
    return f"/api/v1/{owner}/{pk}/indicators/{indicator}/remove/"


@pytest.fixture
def on_advisory(advisory, coordinator):
    return add_indicator(actor=coordinator, value="198.51.100.7", advisory=advisory).indicator


@pytest.fixture
def on_incident(incident_a, manager):
    return add_indicator(actor=manager, value="evil-example.com", incident=incident_a).indicator


def test_coordinator_removes_an_advisorys_indicator(api_for, coordinator, advisory, on_advisory):
    response = api_for(coordinator).post(remove_url("advisories", advisory.pk, on_advisory.pk))

    assert response.status_code == 204, response.content
    assert not AdvisoryIndicator.objects.filter(advisory=advisory).exists()
    event = AdvisoryEvent.objects.get(advisory=advisory, kind=AdvisoryEvent.Kind.INDICATOR_REMOVED)
    assert event.data["value"] == "198.51.100.7"


def test_the_incidents_reporter_removes_its_indicator(api_for, manager, incident_a, on_incident):
    response = api_for(manager).post(remove_url("incidents", incident_a.pk, on_incident.pk))

    assert response.status_code == 204, response.content
    assert not IncidentIndicator.objects.filter(incident=incident_a).exists()
    note = incident_a.timeline.filter(kind=TimelineEvent.Kind.NOTE).latest("at")
    assert "evil-example.com" in note.message and note.actor == manager


def test_hidden_is_404_and_not_allowed_is_403(
    api_for, viewer, outsider, advisory, incident_a, on_advisory, on_incident
):
    urls = [
        remove_url("advisories", advisory.pk, on_advisory.pk),
        remove_url("incidents", incident_a.pk, on_incident.pk),
    ]
    for url in urls:
        assert api_for(outsider).post(url).status_code == 404, url
        refused = api_for(viewer).post(url)  # org A's read-only member sees both, may change neither
        assert refused.status_code == 403, url
    assert AdvisoryIndicator.objects.filter(advisory=advisory).exists()
    assert IncidentIndicator.objects.filter(incident=incident_a).exists()


def test_an_indicator_the_owner_does_not_carry_is_404(
    api_for, coordinator, advisory, incident_a, on_advisory, on_incident
):
    client = api_for(coordinator)
    assert client.post(remove_url("advisories", advisory.pk, on_incident.pk)).status_code == 404
    assert client.post(remove_url("incidents", incident_a.pk, on_advisory.pk)).status_code == 404
    assert client.post(remove_url("incidents", incident_a.pk, "1.5")).status_code == 404
    assert IncidentIndicator.objects.filter(incident=incident_a).exists()


def test_a_token_without_coordinate_is_403(
    api_for, coordinator, advisory, incident_a, on_advisory, on_incident
):
    narrow = api_for(coordinator, scopes=["read", "report"])
    for url in (
        remove_url("advisories", advisory.pk, on_advisory.pk),
        remove_url("incidents", incident_a.pk, on_incident.pk),
    ):
        response = narrow.post(url)
        assert response.status_code == 403 and "coordinate" in response.json()["detail"]
    assert AdvisoryIndicator.objects.filter(advisory=advisory).exists()


def test_a_replay_answers_the_first_removal(api_for, coordinator, incident_a, on_incident):
    client = api_for(coordinator)
    url = remove_url("incidents", incident_a.pk, on_incident.pk)

    first = client.post(url, HTTP_IDEMPOTENCY_KEY="remove-1")
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="remove-1")

    assert (first.status_code, again.status_code) == (204, 204)
    assert again["Idempotent-Replayed"] == "true"
    assert client.post(url).status_code == 404  # without the key: it is gone
    removals = incident_a.timeline.filter(message__contains="evil-example.com", kind=TimelineEvent.Kind.NOTE)
    assert removals.count() == 2  # added, removed once


def test_an_unknown_query_parameter_is_400(api_for, coordinator, advisory, on_advisory):
    url = remove_url("advisories", advisory.pk, on_advisory.pk)
    response = api_for(coordinator).post(f"{url}?force=1")
    assert response.status_code == 400 and "force" in response.json()
    assert AdvisoryIndicator.objects.filter(advisory=advisory).exists()
