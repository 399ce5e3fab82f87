"""The audit trail's API follows the page's gate: coordinators read it, members are told it is not there."""

import pytest

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
