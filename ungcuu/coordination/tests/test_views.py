"""Coordination pages: the recipient's list, the detail's actions (page and HTMX), sending a request."""

import pytest
from django.template.loader import render_to_string

from ungcuu.accounts.models import User
from ungcuu.coordination import services
from ungcuu.coordination.forms import DEFAULT_ACTIONS
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.coordination.tests.helpers import TARGETS, move_deadline_to_the_past, reload
from ungcuu.incidents.models import LIVE_REQUEST_STATES, TimelineEvent

pytestmark = pytest.mark.django_db

Status = CoordinationRequest.Status
HTMX = {"HX-Request": "true"}
ANSWER = {"outcome": "done", "answer": "Đã gỡ bỏ nội dung."}


def url(req, action=""):
    return f"/coordination/{req.pk}/{action + '/' if action else ''}"


def coordination_entries(incident):
    return incident.timeline.filter(kind=TimelineEvent.Kind.COORDINATION).count()


def test_recipient_lists_requests_to_its_organization_with_the_overdue_flag(
    client_for, takedown, isp_responder
):
    move_deadline_to_the_past(takedown)
    page = client_for(isp_responder).get("/coordination/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Requests to my organization" in text and takedown.reference in text and "overdue" in text
    assert (
        takedown.reference
        not in client_for(isp_responder).get("/coordination/?status=answered").content.decode()
    )
    fragment = client_for(isp_responder).get("/coordination/?status=awaiting&overdue=1", headers=HTMX)
    assert takedown.reference in fragment.content.decode() and "<html" not in fragment.content.decode()


def test_list_leaks_nothing_to_other_units(client_for, takedown, other_isp_user, manager):
    for user in (other_isp_user, manager):
        page = client_for(user).get("/coordination/")
        assert page.status_code == 200 and takedown.reference not in page.content.decode()


def test_coordinator_lists_every_request(client_for, coordinator, takedown):
    page = client_for(coordinator).get("/coordination/")
    assert "Coordination requests" in page.content.decode() and takedown.reference in page.content.decode()


def test_recipient_reads_the_request_and_gets_the_answer_forms(client_for, takedown, isp_responder):
    page = client_for(isp_responder).get(url(takedown))
    text = page.content.decode()
    assert page.status_code == 200
    assert "203.0.113.10" in text and 'id="acknowledge-form"' in text and 'id="answer-form"' in text
    fragment = client_for(isp_responder).get(url(takedown), headers=HTMX).content.decode()
    assert 'id="request-actions"' in fragment and "<html" not in fragment


def test_another_isp_and_the_operator_unit_get_404_and_nothing_changes(
    client_for, takedown, other_isp_user, manager, responder, incident
):
    before = coordination_entries(incident)
    for user in (other_isp_user, manager, responder):
        client = client_for(user)
        assert client.get(url(takedown)).status_code == 404
        assert client.post(url(takedown, "acknowledge")).status_code == 404
        assert client.post(url(takedown, "answer"), ANSWER).status_code == 404
    req = reload(takedown)
    assert req.status == Status.SENT and req.answer == ""
    assert coordination_entries(incident) == before


def test_viewer_of_the_recipient_gets_403_on_answer_and_nothing_changes(
    client_for, takedown, isp_viewer, incident
):
    before = coordination_entries(incident)
    client = client_for(isp_viewer)
    page = client.get(url(takedown)).content.decode()
    assert 'id="answer-form"' not in page
    assert client.post(url(takedown, "answer"), ANSWER).status_code == 403
    assert client.post(url(takedown, "acknowledge")).status_code == 403
    req = reload(takedown)
    assert req.status == Status.SENT and req.answer == "" and req.acknowledged_at is None
    assert coordination_entries(incident) == before


def test_responder_acknowledges_then_answers_through_the_page(client_for, takedown, isp_responder, incident):
    client = client_for(isp_responder)
    response = client.post(url(takedown, "acknowledge"))
    assert response.status_code == 302 and response["Location"] == url(takedown)
    assert reload(takedown).status == Status.ACKNOWLEDGED
    fragment = client.post(url(takedown, "answer"), ANSWER, headers=HTMX)
    assert fragment.status_code == 200 and 'id="request-actions"' in fragment.content.decode()
    req = reload(takedown)
    assert req.status == Status.ANSWERED and req.answered_by == isp_responder
    assert coordination_entries(incident) == 3


def test_bad_answer_is_400_and_illegal_move_is_409(client_for, takedown, isp_responder):
    client = client_for(isp_responder)
    bad = client.post(url(takedown, "answer"), {"outcome": "maybe", "answer": ""})
    assert bad.status_code == 400 and reload(takedown).status == Status.SENT
    client.post(url(takedown, "answer"), ANSWER)
    again = client.post(url(takedown, "acknowledge"), headers=HTMX)
    assert again.status_code == 409 and "cannot become" in again.content.decode()
    assert reload(takedown).status == Status.ANSWERED


def test_coordinator_completes_and_recipient_cannot(client_for, takedown, isp_responder, coordinator):
    client_for(isp_responder).post(url(takedown, "answer"), ANSWER)
    assert client_for(isp_responder).post(url(takedown, "complete")).status_code == 403
    assert client_for(coordinator).post(url(takedown, "complete"), {"note": "OK"}).status_code == 302
    assert reload(takedown).status == Status.COMPLETED


def test_actions_refuse_get(client_for, takedown, isp_responder):
    assert client_for(isp_responder).get(url(takedown, "acknowledge")).status_code == 405


# --- sending ----------------------------------------------------------------------------------------


def test_send_form_is_prefilled_with_the_default_text_of_the_kind(client_for, coordinator, incident, isp):
    client = client_for(coordinator)
    page = client.get(f"/coordination/new/{incident.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and DEFAULT_ACTIONS["isp_takedown"] in text
    assert "<optgroup" in text and isp.name in text
    refreshed = client.get(
        f"/coordination/new/{incident.pk}/",
        {"kind": "isp_preserve_logs", "required_actions": DEFAULT_ACTIONS["isp_takedown"]},
        headers=HTMX,
    ).content.decode()
    assert DEFAULT_ACTIONS["isp_preserve_logs"] in refreshed and "<html" not in refreshed
    kept = client.get(
        f"/coordination/new/{incident.pk}/",
        {"kind": "isp_block", "required_actions": "Văn bản riêng"},
        headers=HTMX,
    )
    assert "Văn bản riêng" in kept.content.decode()


def test_coordinator_sends_a_request_from_the_form(client_for, coordinator, incident, isp):
    data = {
        "recipient": isp.pk,
        "kind": "isp_takedown",
        "required_actions": DEFAULT_ACTIONS["isp_takedown"],
        "targets": "http://alpha.example.gov.vn/x\n203.0.113.10",
    }
    response = client_for(coordinator).post(f"/coordination/new/{incident.pk}/", data)
    req = CoordinationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == url(req)
    assert req.targets == ["http://alpha.example.gov.vn/x", "203.0.113.10"]


def test_send_form_rejects_bad_targets_with_400(client_for, coordinator, incident, isp):
    data = {"recipient": isp.pk, "kind": "isp_block", "required_actions": "Chặn", "targets": "not/a/target"}
    response = client_for(coordinator).post(f"/coordination/new/{incident.pk}/", data)
    assert response.status_code == 400 and not CoordinationRequest.objects.exists()


def test_units_cannot_send(client_for, responder, other_isp_user, incident, isp):
    data = {"recipient": isp.pk, "kind": "other", "required_actions": "x"}
    # The operator's responder sees the incident: 403. Another ISP does not: 404.
    assert client_for(responder).post(f"/coordination/new/{incident.pk}/", data).status_code == 403
    assert client_for(other_isp_user).get(f"/coordination/new/{incident.pk}/").status_code == 404
    assert not CoordinationRequest.objects.exists()


def test_incident_fragment_lists_the_requests_it_is_given(takedown, incident):
    html = render_to_string(
        "coordination/_incident_requests.html",
        {"requests": [takedown], "incident": incident, "can_send_request": True},
    )
    assert takedown.reference in html and f"/coordination/new/{incident.pk}/" in html
    assert "No coordination request" in render_to_string(
        "coordination/_incident_requests.html", {"requests": []}
    )


def test_admin_lists_requests_read_only(client_for, takedown):
    admin = User.objects.create_superuser("root", "root@example.gov.vn", "pw-Test-123456")
    client = client_for(admin)
    assert takedown.reference in client.get("/admin/coordination/coordinationrequest/").content.decode()
    assert client.get("/admin/coordination/coordinationrequest/add/").status_code == 403


def _incident_answers(user, incident, client_for, api_for) -> list[int]:
    """What the recipient gets for the incident's page, its evidence page and its API detail."""
    client = client_for(user)
    return [
        client.get(f"/incidents/{incident.pk}/").status_code,
        client.get(f"/evidence/incident/{incident.pk}/").status_code,
        api_for(user).get(f"/api/v1/incidents/{incident.pk}/").status_code,
        len(api_for(user).get(f"/api/v1/evidence/?incident={incident.pk}").json()["results"]),
    ]


def test_a_request_opens_its_incident_only_while_it_is_live(
    takedown, incident, isp_responder, coordinator, client_for, api_for
):
    """Issue 10 leak 3: a cancelled request kept opening the incident to its recipient."""
    assert _incident_answers(isp_responder, incident, client_for, api_for)[:3] == [200, 200, 200]
    services.cancel_request(actor=coordinator, request=takedown, reason="Nhầm đơn vị")
    assert _incident_answers(isp_responder, incident, client_for, api_for) == [404, 404, 404, 0]
    page = client_for(isp_responder).get(f"/coordination/{takedown.pk}/").content.decode()
    assert incident.title not in page  # the request stays readable; the incident is no longer shared


def test_a_confidential_incident_is_shared_only_through_the_request(
    send, incident, isp_responder, client_for, api_for
):
    """Issue 10 leak 3: the recipient sees what the request shares, not the confidential incident."""
    incident.confidential = True
    incident.save(update_fields=["confidential"])
    req = send()
    assert _incident_answers(isp_responder, incident, client_for, api_for) == [404, 404, 404, 0]
    page = client_for(isp_responder).get(f"/coordination/{req.pk}/").content.decode()
    assert req.reference in page and TARGETS[0] in page
    assert incident.title not in page and incident.description not in page


def test_live_request_states_match_the_transition_table():
    live = {s for s, nxt in CoordinationRequest.TRANSITIONS.items() if nxt}
    assert live == set(LIVE_REQUEST_STATES)
