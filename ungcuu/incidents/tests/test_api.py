"""Door (c): the API, with token auth, field errors, 409 on illegal moves and the tenancy gate."""

import datetime

import pytest
from django.core import mail
from django.tasks import default_task_backend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework import serializers
from rest_framework.test import APIClient

from ungcuu.accounts.tokens import create_token
from ungcuu.incidents.api import IncidentSerializer
from ungcuu.incidents.models import Incident, Status
from ungcuu.notifications.jobs import deliver_notifications
from ungcuu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(actor=user, name='tests')[1]}")
    return client


def body(province, **overrides):
    data = {
        "title": "Tấn công DDoS",
        "description": "Lưu lượng bất thường",
        "detected_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "organization": province["unit"].pk,
        "system": province["portal"].pk,
        "category": "ATTACK.DOS",
    }
    data.update(overrides)
    return data


def test_api_report_with_token(province):
    response = api(province["responder"]).post("/api/v1/incidents/", body(province), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reference"].startswith("NB-")
    assert Incident.objects.get().reports.get().channel == "api"


def test_api_without_token_is_refused(province):
    response = APIClient().post("/api/v1/incidents/", body(province), format="json")
    assert response.status_code in (401, 403) and Incident.objects.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"category": "ATTACK.NOPE"},
        {"detected_at": "yesterday"},
        {"harms": ["fire"]},
        {"reporter_phone": "abc"},  # the same check as the pages (core.validators)
        {"detected_at": "1999-12-31T08:00:00+07:00"},
    ],
)
def test_api_bad_body_is_400_with_field_errors(province, overrides):
    response = api(province["responder"]).post(
        "/api/v1/incidents/", body(province, **overrides), format="json"
    )
    assert response.status_code == 400
    assert set(overrides) & set(response.json())
    assert Incident.objects.count() == 0


def test_api_future_detection_is_400(province):
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    response = api(province["responder"]).post(
        "/api/v1/incidents/", body(province, detected_at=future), format="json"
    )
    assert response.status_code == 400 and "detected_at" in response.json()


def test_api_malformed_json_is_400(province):
    response = api(province["responder"]).post(
        "/api/v1/incidents/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_api_outsider_cannot_report_for_or_see_another_unit(province, reported):
    outsider = api(province["outsider"])
    assert outsider.post("/api/v1/incidents/", body(province), format="json").status_code == 400
    assert outsider.get(f"/api/v1/incidents/{reported.pk}/").status_code == 404
    assert reported.reference not in outsider.get("/api/v1/incidents/").content.decode()


def test_api_illegal_transition_is_409_and_viewer_403(province, reported):
    coord = api(province["coord"])
    assert coord.post(f"/api/v1/incidents/{reported.pk}/transition/", {"to": "closed"}).status_code == 409
    viewer = api(province["viewer"])
    assert (
        viewer.post(f"/api/v1/incidents/{reported.pk}/transition/", {"to": "acknowledged"}).status_code == 403
    )
    reported.refresh_from_db()
    assert reported.status == Status.LOGGED
    assert (
        coord.post(f"/api/v1/incidents/{reported.pk}/transition/", {"to": "acknowledged"}).status_code == 200
    )


def test_api_idempotency_key_prevents_duplicates(province):
    client = api(province["responder"])
    for _ in range(2):
        client.post("/api/v1/incidents/", body(province, idempotency_key="retry-1"), format="json")
    assert Incident.objects.count() == 1


def test_api_idempotency_key_of_another_user_neither_returns_their_report_nor_drops_this_one(province):
    """Issue 10 leak 1: a global key returned another user's confidential report."""
    secret = body(province, title="Rò rỉ dữ liệu mật", confidential=True, idempotency_key="same-key")
    first = api(province["responder"]).post("/api/v1/incidents/", secret, format="json")
    assert first.status_code == 201
    other = {"organization": province["other"].pk, "system": None, "title": "Sự cố Sở Tài chính"}
    response = api(province["outsider"]).post(
        "/api/v1/incidents/", body(province, idempotency_key="same-key", **other), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Sự cố Sở Tài chính"
    assert response.json()["id"] != first.json()["id"]
    assert "Rò rỉ" not in response.content.decode()
    assert Incident.objects.count() == 2


def test_api_idempotency_replay_returns_the_callers_own_report(province):
    client = api(province["responder"])
    first = client.post("/api/v1/incidents/", body(province, idempotency_key="retry-2"), format="json")
    again = client.post("/api/v1/incidents/", body(province, idempotency_key="retry-2"), format="json")
    assert again.json()["id"] == first.json()["id"] and Incident.objects.count() == 1


def test_one_api_submit_stays_within_its_query_budget(province, django_assert_max_num_queries):
    """Issue 18: the intake request's queries, pinned so that one more per report is a decision. Warm
    (the configuration already copied in this process): the API token, its user's memberships and the
    organization (3), the system with its owner and operator (1), the configuration's token (1), the
    incident, its report, timeline entry and clocks (4), the members to notify (1), the counter bumped
    and read back (1), the number (1), the notices and the acknowledgement in one INSERT and their
    timeline entries in another (2), and the transaction's savepoint pair in a test (2): 16 (48 before
    issue 18's third session, 22 before its fifth: the acknowledgement of a report created in the same
    transaction needs no dedupe look-up nor savepoint, the two notices are written together, the counter
    is one UPDATE … RETURNING). With the immediate queue of the tests the job is enqueued after commit,
    outside this count (one job: `test_one_report_enqueues_one_delivery_job`); with the database queue it
    is one INSERT more, inside."""
    client = api(province["responder"])
    assert client.post("/api/v1/incidents/", body(province), format="json").status_code == 201
    with django_assert_max_num_queries(16):
        response = client.post("/api/v1/incidents/", body(province, title="Lần hai"), format="json")
    assert response.status_code == 201, response.content


def test_intakes_notices_written_together_keep_their_order_ids_and_dedupe_key(province):
    """Issue 18, fifth session: intake writes its notice and the acknowledgement in one INSERT and their
    timeline entries in another, after the rows get their keys. Each entry still names exactly its own
    rows, the entries keep their place (reported, then notified, then acknowledged), and the
    acknowledgement keeps its dedupe key (the unique constraint still refuses a second one)."""
    response = api(province["responder"]).post("/api/v1/incidents/", body(province), format="json")
    assert response.status_code == 201, response.content
    incident = Incident.objects.get(pk=response.json()["id"])
    entries = list(incident.timeline.order_by("at", "id"))
    assert [e.kind for e in entries] == ["reported", "notification", "notification"]
    notice, ack = entries[1], entries[2]
    assert notice.id < ack.id and notice.at <= ack.at
    rows = Notification.objects.filter(incident=incident)
    for entry, event in ((notice, "report_received"), (ack, "report_ack")):
        assert entry.data["event"] == event
        ids = sorted(rows.filter(event=event).values_list("pk", flat=True))
        assert ids and sorted(entry.data["notification_ids"]) == ids
        assert len(entry.data["recipients"]) == len(ids)
    acks = rows.filter(event="report_ack")
    assert set(acks.values_list("dedupe_key", flat=True)) == {f"report-ack:{incident.reports.get().pk}"}


def test_one_report_enqueues_one_delivery_job(province, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = api(province["responder"]).post("/api/v1/incidents/", body(province), format="json")
    assert response.status_code == 201, response.content
    (job,) = default_task_backend.results
    pending = Notification.objects.filter(state=Notification.State.PENDING, channel="email")
    assert job.task.name == "deliver_notifications"
    # the owner's, the specialised unit's and the national coordinator's addresses, and the reporter's
    assert sorted(job.args[0]) == sorted(pending.values_list("pk", flat=True)) and len(job.args[0]) == 4
    assert deliver_notifications.call(*job.args) == 4
    assert len(mail.outbox) == 4 and not pending.exists()


def test_with_the_database_queue_the_delivery_job_is_written_in_the_reports_transaction(province, settings):
    """Issue 18, fifth session: with the database queue (the default) intake's one delivery job is a row
    of the report's own transaction, not a second transaction after commit: it exists although this
    test's transaction never commits (no on-commit hook runs), and rolls back with the report."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = api(province["responder"]).post("/api/v1/incidents/", body(province), format="json")
    assert response.status_code == 201, response.content
    (job,) = DBTaskResult.objects.all()
    pending = Notification.objects.filter(state=Notification.State.PENDING, channel="email")
    assert job.task_path.endswith("deliver_notifications")
    assert sorted(job.args_kwargs["args"][0]) == sorted(pending.values_list("pk", flat=True))


def test_incident_serializer_fields_built_once_render_as_a_fresh_model_serializer(province):
    """Issue 18, fifth session: the fields are built once per class and copied per instance; each instance
    binds its own copies, and the output is what ModelSerializer building them afresh gives."""

    class Fresh(serializers.ModelSerializer):
        class Meta:
            model = Incident
            fields = IncidentSerializer.Meta.fields

        is_reported_late = serializers.BooleanField(read_only=True, default=False)

    response = api(province["responder"]).post("/api/v1/incidents/", body(province), format="json")
    incident = Incident.objects.get(pk=response.json()["id"])
    first, second = IncidentSerializer(incident), IncidentSerializer(incident)
    assert first.data == second.data == Fresh(incident).data == response.json()
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].parent is first and second.fields["title"].parent is second
