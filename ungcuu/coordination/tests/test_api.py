"""API equivalents: 404 hidden, 403 not allowed, 400 bad body, 409 illegal move; refusals change nothing."""

import datetime

import pytest
from django.utils import timezone

from ungcuu.coordination.models import CoordinationRequest
from ungcuu.coordination.tests.helpers import reload
from ungcuu.incidents import services as incident_services
from ungcuu.incidents.models import Status as IncidentStatus
from ungcuu.incidents.models import TimelineEvent

pytestmark = pytest.mark.django_db

BASE = "/api/v1/coordination-requests/"
Status = CoordinationRequest.Status


def url(req, action=""):
    return f"{BASE}{req.pk}/{action + '/' if action else ''}"


def new_request(incident, isp, **overrides):
    return {
        "incident": incident.pk,
        "recipient": isp.pk,
        "kind": "isp_takedown",
        "required_actions": "Gỡ bỏ nội dung trong 24 giờ.",
        "targets": ["alpha.example.gov.vn", "203.0.113.10"],
        **overrides,
    }


def test_coordinator_creates_a_takedown_with_the_default_deadline(api_for, coordinator, incident, isp):
    response = api_for(coordinator).post(BASE, new_request(incident, isp), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"] == f"{incident.reference}-YC01" and body["status"] == "sent"
    req = CoordinationRequest.objects.get()
    assert abs(req.deadline - (timezone.now() + datetime.timedelta(hours=24))) < datetime.timedelta(minutes=1)
    assert incident.timeline.filter(kind=TimelineEvent.Kind.COORDINATION).count() == 1


def test_create_refusals(api_for, coordinator, responder, isp_responder, incident, isp):
    # A unit is refused before its body is even read.
    assert api_for(responder).post(BASE, {}, format="json").status_code == 403
    assert api_for(isp_responder).post(BASE, new_request(incident, isp), format="json").status_code == 403
    bad = api_for(coordinator).post(BASE, new_request(incident, isp, targets=["nope nope"]), format="json")
    assert bad.status_code == 400 and "targets" in bad.json()
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    assert (
        api_for(coordinator).post(BASE, new_request(incident, isp, deadline=past), format="json").status_code
        == 400
    )
    assert not CoordinationRequest.objects.exists()


def test_create_about_a_closed_incident_is_409(api_for, coordinator, incident, isp):
    incident_services.acknowledge(actor=coordinator, incident=incident)
    incident_services.change_status(actor=coordinator, incident=incident, to=IncidentStatus.REJECTED)
    response = api_for(coordinator).post(BASE, new_request(incident, isp), format="json")
    assert response.status_code == 409 and not CoordinationRequest.objects.exists()


def test_recipient_lists_and_reads_only_its_own_requests(
    api_for, takedown, isp_responder, other_isp_user, manager
):
    listing = api_for(isp_responder).get(BASE).json()
    assert [r["reference"] for r in listing["results"]] == [takedown.reference]
    assert listing["results"][0]["available_actions"] == ["acknowledged", "answered", "declined"]
    for user in (other_isp_user, manager):
        assert api_for(user).get(BASE).json()["results"] == []
        assert api_for(user).get(url(takedown)).status_code == 404


def test_list_filters(api_for, coordinator, takedown, incident):
    client = api_for(coordinator)
    assert len(client.get(BASE, {"incident": incident.pk}).json()["results"]) == 1
    assert client.get(BASE, {"status": "answered"}).json()["results"] == []
    assert client.get(BASE, {"overdue": "1"}).json()["results"] == []


def test_responder_acknowledges_and_answers(api_for, takedown, isp_responder):
    client = api_for(isp_responder)
    ack = client.post(url(takedown, "acknowledge"))
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    answer = client.post(url(takedown, "answer"), {"answer": "Đã gỡ.", "outcome": "done"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "answered"
    assert reload(takedown).answered_by == isp_responder


def test_answer_with_a_bad_body_is_400_and_nothing_changes(api_for, takedown, isp_responder):
    response = api_for(isp_responder).post(url(takedown, "answer"), {"outcome": "maybe"}, format="json")
    assert response.status_code == 400 and {"answer", "outcome"} <= set(response.json())
    assert reload(takedown).status == Status.SENT


def test_viewer_gets_403_and_other_isp_404_on_answer_and_nothing_changes(
    api_for, takedown, isp_viewer, other_isp_user, incident
):
    body = {"answer": "Đã gỡ.", "outcome": "done"}
    assert api_for(isp_viewer).post(url(takedown, "answer"), body, format="json").status_code == 403
    assert api_for(other_isp_user).post(url(takedown, "answer"), body, format="json").status_code == 404
    assert api_for(other_isp_user).post(url(takedown, "acknowledge")).status_code == 404
    req = reload(takedown)
    assert req.status == Status.SENT and req.answer == ""
    assert incident.timeline.filter(kind=TimelineEvent.Kind.COORDINATION).count() == 1


def test_illegal_transition_is_409(api_for, takedown, isp_responder, coordinator):
    client = api_for(isp_responder)
    client.post(url(takedown, "answer"), {"answer": "Đã gỡ.", "outcome": "done"}, format="json")
    assert client.post(url(takedown, "acknowledge")).status_code == 409
    assert api_for(coordinator).post(url(takedown, "cancel"), {}, format="json").status_code == 409
    assert api_for(coordinator).post(url(takedown, "complete"), {}, format="json").status_code == 200
    assert reload(takedown).status == Status.COMPLETED


def test_requests_cannot_be_edited_or_deleted(api_for, coordinator, takedown):
    client = api_for(coordinator)
    assert client.patch(url(takedown), {"kind": "other"}, format="json").status_code == 405
    assert client.delete(url(takedown)).status_code == 405


def test_anonymous_is_refused(api_for, takedown):
    assert api_for().get(BASE).status_code == 401
