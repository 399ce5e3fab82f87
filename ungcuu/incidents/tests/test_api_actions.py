"""Issue 16 part 5: the incident page's handling actions through the API, with the page's access rules
(outsider 404, viewer 403, national reads but may not change, coordinator acts) and token scopes."""

import datetime

import pytest
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.incidents import services
from ungcuu.incidents.models import Incident, Status, Task, TimelineEvent

pytestmark = pytest.mark.django_db

Kind = TimelineEvent.Kind


@pytest.fixture
def national_user(province):
    return User.objects.create_user("nat", password="pw-1234567890", platform_role="national")


def url(incident, tail=""):
    return f"/api/v1/incidents/{incident.pk}/{tail}"


def test_coordinator_acknowledges_and_classifies(api_for, province, reported):
    coord = api_for(province["coord"])
    response = coord.post(url(reported, "acknowledge/"), {"note": "Đã nhận"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ACKNOWLEDGED
    body = {"category": "ATTACK.DOS", "harms": [], "exceeds_capacity": False, "tlp": "AMBER"}
    response = coord.post(url(reported, "classify/"), body, format="json")
    assert response.status_code == 200, response.content
    reported.refresh_from_db()
    assert reported.category == "ATTACK.DOS" and reported.classified_at is not None


def test_classify_refuses_an_unknown_category_and_an_override_without_reason(api_for, province, reported):
    coord = api_for(province["coord"])
    assert coord.post(url(reported, "classify/"), {"category": "NOPE"}, format="json").status_code == 400
    body = {"category": "ATTACK.DOS", "override_severity": "SERIOUS"}
    response = coord.post(url(reported, "classify/"), body, format="json")
    assert response.status_code == 400 and "override_reason" in response.json()
    reported.refresh_from_db()
    assert reported.classified_at is None


@pytest.mark.parametrize("tail", ["acknowledge/", "take/", "merge/", "support/", "classify/"])
def test_coordinator_acts_are_403_for_the_viewer_and_national_404_for_the_outsider(
    api_for, province, reported, national_user, tail
):
    for user in (province["viewer"], province["responder"], national_user):
        assert api_for(user).post(url(reported, tail), {}, format="json").status_code == 403
    assert api_for(province["outsider"]).post(url(reported, tail), {}, format="json").status_code == 404
    reported.refresh_from_db()
    assert reported.status == Status.LOGGED and not reported.handlers.exists()


def test_national_reads_the_timeline_and_tasks(api_for, province, reported, national_user):
    client = api_for(national_user)
    timeline = client.get(url(reported, "timeline/"))
    assert timeline.status_code == 200 and timeline.json()[0]["kind"] == Kind.REPORTED
    assert client.get(url(reported, "tasks/")).json() == []
    assert api_for(province["outsider"]).get(url(reported, "timeline/")).status_code == 404


def test_reporter_adds_a_progress_entry_and_the_viewer_may_not(api_for, province, reported):
    body = {"kind": Kind.PROGRESS, "message": "Đã cô lập máy chủ"}
    assert api_for(province["viewer"]).post(url(reported, "entries/"), body, format="json").status_code == 403
    response = api_for(province["manager"], scopes=["report"]).post(
        url(reported, "entries/"), body, format="json"
    )
    assert response.status_code == 201, response.content
    assert reported.timeline.filter(kind=Kind.PROGRESS, message="Đã cô lập máy chủ").count() == 1


def test_only_the_specialised_unit_gives_direction(api_for, province, reported):
    body = {"kind": Kind.DIRECTION, "message": "Chỉ đạo"}
    assert (
        api_for(province["manager"]).post(url(reported, "entries/"), body, format="json").status_code == 403
    )
    assert not reported.timeline.filter(kind=Kind.DIRECTION).exists()


def test_tasks_add_complete_and_cancel(api_for, province, reported):
    coord = api_for(province["coord"])
    due = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    body = {"title": "Sao lưu nhật ký", "owner": province["responder"].pk, "due_at": due}
    response = coord.post(url(reported, "tasks/"), body, format="json")
    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["id"])
    assert task.owner == province["responder"]
    # The task's owner may complete it even before the unit handles the incident.
    done = api_for(province["responder"]).post(url(reported, f"tasks/{task.pk}/done/"), format="json")
    assert done.status_code == 200 and done.json()["done_at"]
    other = coord.post(url(reported, "tasks/"), {"title": "Quét lại"}, format="json").json()
    assert coord.post(url(reported, f"tasks/{other['id']}/cancel/"), {}, format="json").status_code == 400
    cancelled = coord.post(url(reported, f"tasks/{other['id']}/cancel/"), {"reason": "Trùng"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["cancel_reason"] == "Trùng"
    again = coord.post(url(reported, f"tasks/{other['id']}/cancel/"), {"reason": "Trùng"}, format="json")
    assert again.status_code == 409


def test_task_owner_outside_the_incident_is_refused(api_for, province, reported):
    body = {"title": "Sao lưu", "owner": province["outsider"].pk}
    response = api_for(province["coord"]).post(url(reported, "tasks/"), body, format="json")
    assert response.status_code == 400 and "owner" in response.json()
    assert not Task.objects.exists()


def test_task_routes_refuse_the_viewer_and_hide_from_the_outsider(api_for, province, reported):
    task = services.add_task(actor=province["coord"], incident=reported, title="Sao lưu")
    for tail, body in (
        ("tasks/", {"title": "X"}),
        (f"tasks/{task.pk}/done/", {}),
        (f"tasks/{task.pk}/cancel/", {}),
    ):
        assert api_for(province["viewer"]).post(url(reported, tail), body, format="json").status_code == 403
        assert api_for(province["outsider"]).post(url(reported, tail), body, format="json").status_code == 404
    assert api_for(province["coord"]).post(url(reported, "tasks/999999/done/")).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None and Task.objects.count() == 1


def test_take_makes_the_coordinator_a_handler(api_for, province, reported):
    assert api_for(province["coord"]).post(url(reported, "take/")).status_code == 200
    assert reported.handlers.filter(pk=province["coord"].pk).exists()


def test_merge_by_reference(api_for, province, reported):
    data = services.ReportInput(
        channel="form",
        title="Trùng lặp",
        description="Cùng sự cố",
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        reporter_name="UBND",
        reporter_email="manager@example.vn",
        organization=province["unit"],
    )
    duplicate = services.submit_report(actor=province["manager"], data=data).incident
    coord = api_for(province["coord"])
    unknown = coord.post(url(reported, "merge/"), {"duplicate": "NB-NOPE"}, format="json")
    assert unknown.status_code == 400 and "duplicate" in unknown.json()
    assert (
        coord.post(url(reported, "merge/"), {"duplicate": reported.reference}, format="json").status_code
        == 400
    )
    response = coord.post(url(reported, "merge/"), {"duplicate": duplicate.reference}, format="json")
    assert response.status_code == 200, response.content
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == reported


def test_support_needs_a_reason(api_for, province, reported):
    coord = api_for(province["coord"])
    assert coord.post(url(reported, "support/"), {"reason": ""}, format="json").status_code == 400
    reported.refresh_from_db()
    assert reported.national_support_requested_at is None


def test_closing_report_by_the_handler_not_the_viewer(api_for, province, reported):
    body = {"reporter_name": "Điều phối", "what_happened": "DDoS", "how_solved": "Chặn IP"}
    assert (
        api_for(province["viewer"]).post(url(reported, "closing-report/"), body, format="json").status_code
        == 403
    )
    response = api_for(province["coord"]).post(url(reported, "closing-report/"), body, format="json")
    assert response.status_code == 200, response.content
    assert reported.closing_report.how_solved == "Chặn IP"


def test_handling_actions_need_the_coordinate_scope(api_for, province, reported):
    narrow = api_for(province["coord"], scopes=["read", "report"])
    for tail in ("acknowledge/", "take/", "tasks/", "classify/"):
        response = narrow.post(url(reported, tail), {}, format="json")
        assert response.status_code == 403 and "coordinate" in response.json()["detail"]
    assert narrow.get(url(reported, "timeline/")).status_code == 200
    reported.refresh_from_db()
    assert reported.status == Status.LOGGED and Incident.objects.count() == 1


def test_retried_task_creation_with_a_key_creates_one_task(api_for, province, reported):
    coord = api_for(province["coord"])
    for _ in range(2):
        response = coord.post(
            url(reported, "tasks/"), {"title": "Một lần"}, format="json", HTTP_IDEMPOTENCY_KEY="t1"
        )
        assert response.status_code == 201
    assert Task.objects.filter(title="Một lần").count() == 1
