"""Closing checks the work (issue 15): open tasks and live requests need a decision and close with it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from ungcuu.coordination import services as coordination
from ungcuu.coordination.models import CoordinationRequest, RequestKind
from ungcuu.core.errors import Conflict
from ungcuu.incidents import closing, services
from ungcuu.incidents.models import Status, TimelineEvent
from ungcuu.incidents.tests.factories import reported
from ungcuu.organizations.models import Kind as OrgKind
from ungcuu.organizations.models import Membership, Organization
from ungcuu.organizations.tests.factories import member

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("_fixed_clock")
RequestStatus = CoordinationRequest.Status


@pytest.fixture
def _fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def isp(db):
    return Organization.objects.create(code="ISP-T", name="Nhà mạng T", kind=OrgKind.ISP)


@pytest.fixture
def isp_responder(isp):
    return member(isp, Membership.Role.RESPONDER)


@pytest.fixture
def evaluated(manager, org_a, coordinator):
    """An incident at its last step with form 04 written, one overdue open task and one live request."""
    incident = reported(manager, org_a, "Sự cố: cổng thông tin bị thay giao diện")
    services.acknowledge(actor=coordinator, incident=incident)
    incident = services.classify(
        actor=coordinator, incident=incident, category="ATTACK.DEFACEMENT", harms=[], exceeds_capacity=False
    )
    for step in (Status.FIRST_ACTIONS, Status.EVALUATED):
        incident = services.change_status(actor=coordinator, incident=incident, to=step)
    services.submit_closing_report(
        actor=coordinator, incident=incident, reporter_name="Sở", what_happened="x", how_solved="y"
    )
    return incident


@pytest.fixture
def task(evaluated, coordinator):
    """Set an hour ahead (a past due date is refused at entry), then the hour goes by: it is overdue."""
    task = services.add_task(
        actor=coordinator, incident=evaluated, title="Vá plugin", due_at=NOW + datetime.timedelta(hours=1)
    )
    type(task).objects.filter(pk=task.pk).update(due_at=NOW - datetime.timedelta(hours=1))
    task.refresh_from_db()
    return task


@pytest.fixture
def request_(evaluated, coordinator, isp):
    return coordination.send_request(
        actor=coordinator,
        incident=evaluated,
        recipient=isp,
        kind=RequestKind.ISP_PRESERVE_LOGS,
        required_actions="Lưu nhật ký",
    )


def test_closing_with_open_work_and_no_decision_is_refused_and_nothing_moves(
    coordinator, evaluated, task, request_
):
    with pytest.raises(Conflict):
        services.change_status(actor=coordinator, incident=evaluated, to=Status.CLOSED)
    with pytest.raises(Conflict):
        closing.close_incident(actor=coordinator, incident=evaluated)

    evaluated.refresh_from_db()
    task.refresh_from_db()
    request_.refresh_from_db()
    assert evaluated.status == Status.EVALUATED
    assert task.done_at is None and request_.status == RequestStatus.SENT


def test_work_lists_open_tasks_and_live_requests(coordinator, evaluated, task, request_):
    work = closing.open_work(coordinator, evaluated)
    assert work.tasks == [task] and work.requests == [request_] and work.hidden == 0


def test_cancel_needs_a_reason(coordinator, evaluated, task):
    with pytest.raises(ValidationError) as caught:
        closing.close_incident(actor=coordinator, incident=evaluated, decision=closing.Decision.CANCEL)
    assert "reason" in caught.value.message_dict
    task.refresh_from_db()
    assert task.done_at is None


def test_complete_marks_tasks_done_and_closes_requests_with_the_incident(
    coordinator, evaluated, task, request_
):
    incident = closing.close_incident(
        actor=coordinator, incident=evaluated, decision=closing.Decision.COMPLETE
    )

    task.refresh_from_db()
    request_.refresh_from_db()
    assert incident.status == Status.CLOSED
    assert task.done_at == NOW and not task.is_cancelled
    assert request_.status == RequestStatus.CANCELLED  # it was never answered


def test_cancel_settles_tasks_with_the_reason(coordinator, evaluated, task):
    closing.close_incident(
        actor=coordinator, incident=evaluated, decision=closing.Decision.CANCEL, reason="Đơn vị tự xử lý"
    )
    task.refresh_from_db()
    assert task.is_cancelled and task.cancel_reason == "Đơn vị tự xử lý"
    assert evaluated.timeline.filter(kind=TimelineEvent.Kind.TASK, data__action="cancelled").exists()


def test_close_anyway_leaves_tasks_open_and_writes_the_reason_on_the_timeline(coordinator, evaluated, task):
    closing.close_incident(
        actor=coordinator, incident=evaluated, decision=closing.Decision.ANYWAY, reason="Chuyển sang kế hoạch"
    )
    task.refresh_from_db()
    evaluated.refresh_from_db()
    assert evaluated.status == Status.CLOSED and task.done_at is None
    note = evaluated.timeline.filter(kind=TimelineEvent.Kind.NOTE).last()
    assert "Chuyển sang kế hoạch" in note.message


def test_an_answered_request_is_completed_when_the_incident_closes(
    coordinator, evaluated, request_, isp_responder
):
    coordination.answer_request(actor=isp_responder, request=request_, answer="Đã lưu", outcome="done")
    closing.close_incident(actor=coordinator, incident=evaluated, decision=closing.Decision.COMPLETE)
    request_.refresh_from_db()
    assert request_.status == RequestStatus.COMPLETED


def test_answering_a_request_of_a_closed_incident_is_refused(coordinator, evaluated, request_, isp_responder):
    closing.close_incident(actor=coordinator, incident=evaluated, decision=closing.Decision.COMPLETE)
    with pytest.raises(Conflict, match=evaluated.reference):
        coordination.answer_request(actor=isp_responder, request=request_, answer="Muộn", outcome="done")
    request_.refresh_from_db()
    assert request_.answer == ""


def test_nothing_open_closes_without_a_decision(coordinator, evaluated):
    assert closing.close_incident(actor=coordinator, incident=evaluated).status == Status.CLOSED


def test_someone_who_may_not_handle_cannot_close(viewer, evaluated, task):
    with pytest.raises(PermissionDenied):
        closing.close_incident(actor=viewer, incident=evaluated, decision=closing.Decision.COMPLETE)
    evaluated.refresh_from_db()
    assert evaluated.status == Status.EVALUATED


# --- pages and API ----------------------------------------------------------------------------------


def test_close_page_refuses_undecided_open_work_with_409_in_place(client_for, coordinator, evaluated, task):
    response = client_for(coordinator).post(f"/incidents/{evaluated.pk}/close/", HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="workspace"' in page and "<html" not in page  # the workspace alone, swapped in place
    assert "Vá plugin" in page  # the open task is listed next to the decision
    evaluated.refresh_from_db()
    assert evaluated.status == Status.EVALUATED


def test_close_page_with_a_decision_closes(client_for, coordinator, evaluated, task):
    response = client_for(coordinator).post(
        f"/incidents/{evaluated.pk}/close/", {"decision": "cancel", "reason": "Không cần nữa"}
    )
    assert response.status_code == 302
    evaluated.refresh_from_db()
    assert evaluated.status == Status.CLOSED


def test_close_page_access(client_for, outsider, viewer, evaluated):
    assert client_for(outsider).post(f"/incidents/{evaluated.pk}/close/").status_code == 404
    assert client_for(viewer).post(f"/incidents/{evaluated.pk}/close/").status_code == 403
    evaluated.refresh_from_db()
    assert evaluated.status == Status.EVALUATED


def test_api_close_checks_the_work(api_for, coordinator, outsider, viewer, evaluated, task):
    url = f"/api/v1/incidents/{evaluated.pk}/close/"
    assert api_for(outsider).post(url, {}, format="json").status_code == 404
    assert api_for(viewer).post(url, {}, format="json").status_code == 403
    api = api_for(coordinator)
    assert api.post(url, {}, format="json").status_code == 409
    assert api.post(url, {"decision": "anyway"}, format="json").status_code == 400
    response = api.post(url, {"decision": "anyway", "reason": "Đủ"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == Status.CLOSED


def test_api_answer_of_a_closed_incidents_request_is_409(
    api_for, coordinator, evaluated, request_, isp_responder
):
    closing.close_incident(actor=coordinator, incident=evaluated, decision=closing.Decision.COMPLETE)
    response = api_for(isp_responder).post(
        f"/api/v1/coordination-requests/{request_.pk}/answer/",
        {"answer": "x", "outcome": "done"},
        format="json",
    )
    assert response.status_code == 409
    assert evaluated.reference in response.json()["detail"]


def test_cancel_task_page(client_for, coordinator, viewer, outsider, evaluated, task):
    url = f"/incidents/{evaluated.pk}/tasks/{task.pk}/cancel/"
    assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404
    assert client_for(viewer).post(url, {"reason": "x"}).status_code == 403
    assert client_for(coordinator).post(url, {"reason": ""}).status_code == 400
    task.refresh_from_db()
    assert task.done_at is None
    assert client_for(coordinator).post(url, {"reason": "Trùng việc"}).status_code == 302
    task.refresh_from_db()
    assert task.is_cancelled
