"""The audit trail's API follows the page's gate: coordinators read it, members are told it is not there."""

import csv
import io

import pytest

from ungcuu.audit.exports import CSV_COLUMNS
from ungcuu.audit.models import AuditEvent
from ungcuu.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_coordinators_read_and_filter_the_trail(api_for, coordinator, manager, org_a):
    event = record_event(
        actor=manager, action=AuditEvent.Action.DOWNLOAD, target=org_a, detail="xuất danh mục"
    )
    record_event(actor=coordinator, action=AuditEvent.Action.MEMBER_ADDED, target=org_a)
    client = api_for(coordinator, scopes=["read"])

    found = client.get("/api/v1/audit-events/", {"action": "download"}).json()

    assert [e["id"] for e in found["results"]] == [event.pk]
    row = client.get(f"/api/v1/audit-events/{event.pk}/").json()
    assert (row["actor"], row["target_type"], row["detail"]) == (
        "manager",
        "organizations.organization",
        "xuất danh mục",
    )
    assert (
        client.get("/api/v1/audit-events/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}).status_code
        == 400
    )
    assert client.get("/api/v1/audit-events/", {"who": "x"}).status_code == 400


def test_members_are_told_the_trail_is_not_there(api_for, manager, viewer, outsider):
    event = record_event(actor=manager, action=AuditEvent.Action.DOWNLOAD, detail="x")
    for person in (manager, viewer, outsider):
        assert api_for(person).get("/api/v1/audit-events/").status_code == 404
        assert api_for(person).get(f"/api/v1/audit-events/{event.pk}/").status_code == 404
        assert api_for(person).get("/api/v1/audit-events/", {"who": "x"}).status_code == 404
    assert api_for(manager).post("/api/v1/audit-events/", {}).status_code in (404, 405)
    assert api_for(None).get("/api/v1/audit-events/").status_code == 401


EXPORT = "/api/v1/audit-events/export/"


def test_coordinators_export_the_filtered_trail_as_the_pages_csv(api_for, coordinator, manager, org_a):
    record_event(actor=None, action=AuditEvent.Action.SIGN_IN_FAILED, actor_name='=HYPERLINK("http://x","y")')
    record_event(actor=manager, action=AuditEvent.Action.MEMBER_ADDED, target=org_a, organization=org_a)
    client = api_for(coordinator, scopes=["read"])

    response = client.get(EXPORT, {"action": "sign_in_failed"})

    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == CSV_COLUMNS
    assert [(r[1], r[2]) for r in rows[1:]] == [('\'=HYPERLINK("http://x","y")', "sign_in_failed")]
    export = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)  # the download is itself audited
    assert (export.actor, export.view_name, export.detail) == (
        coordinator,
        "auditevent-export",
        "action=sign_in_failed",
    )


def test_the_export_refuses_bad_and_unknown_parameters(api_for, coordinator):
    client = api_for(coordinator)
    backwards = client.get(EXPORT, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert backwards.status_code == 400
    assert ["The start date is after the end date."] in backwards.json().values()
    unknown = client.get(EXPORT, {"page": 2})
    assert unknown.status_code == 400 and "page" in unknown.json()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_members_are_told_the_export_is_not_there_and_a_narrow_token_is_403(
    api_for, coordinator, manager, viewer, outsider
):
    record_event(actor=manager, action=AuditEvent.Action.SIGN_IN, detail="x")
    for person in (manager, viewer, outsider):
        assert api_for(person).get(EXPORT).status_code == 404
        assert api_for(person).get(EXPORT, {"who": "x"}).status_code == 404  # not even its parameters
    narrow = api_for(coordinator, scopes=["report"]).get(EXPORT)
    assert narrow.status_code == 403 and "read" in narrow.json()["detail"]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()
