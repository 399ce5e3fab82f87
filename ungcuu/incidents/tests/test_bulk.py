"""Bulk actions on the incident list (issue 15): each row checked and moved on its own."""

import pytest

from ungcuu.incidents.models import Status
from ungcuu.incidents.tests.factories import reported


@pytest.fixture
def rows(manager, org_a, outsider, org_b):
    return [
        reported(manager, org_a, "Sự cố 1"),
        reported(manager, org_a, "Sự cố 2"),
        reported(outsider, org_b, "Sự cố của đơn vị khác"),
    ]


def test_coordinator_acknowledges_several_and_a_refused_row_says_why(client_for, coordinator, rows):
    first, second, third = rows
    client = client_for(coordinator)
    client.post(f"/incidents/{second.pk}/acknowledge/")
    response = client.post(
        "/incidents/bulk/", {"ids": [first.pk, second.pk, third.pk], "action": "acknowledge"}
    )
    assert response.status_code == 302
    for incident in rows:
        incident.refresh_from_db()
    assert first.status == third.status == Status.ACKNOWLEDGED
    texts = [str(m) for m in response.wsgi_request._messages]
    assert any(second.reference in t for t in texts)  # already acknowledged: refused, with the reason


def test_coordinator_assigns_several_to_a_colleague(client_for, coordinator, rows):
    client_for(coordinator).post(
        "/incidents/bulk/", {"ids": [rows[0].pk, rows[1].pk], "action": "assign", "handler": coordinator.pk}
    )
    assert all(coordinator in r.handlers.all() for r in rows[:2])
    assert coordinator not in rows[2].handlers.all()


def test_bulk_access(client_for, viewer, outsider, manager, rows):
    for person in (viewer, outsider, manager):
        response = client_for(person).post("/incidents/bulk/", {"ids": [rows[0].pk], "action": "acknowledge"})
        assert response.status_code == 403
    rows[0].refresh_from_db()
    assert rows[0].status == Status.LOGGED


def test_hidden_rows_are_skipped(client_for, coordinator, rows):
    response = client_for(coordinator).post("/incidents/bulk/", {"ids": [999999], "action": "acknowledge"})
    assert response.status_code == 400  # nothing visible: the page says so, nothing moves
    assert rows[0].status == Status.LOGGED


def test_api_bulk(api_for, coordinator, viewer, outsider, rows):
    body = {"ids": [rows[0].pk, rows[2].pk], "action": "acknowledge"}
    for person in (viewer, outsider):
        assert api_for(person).post("/api/v1/incidents/bulk/", body, format="json").status_code == 403
    response = api_for(coordinator).post("/api/v1/incidents/bulk/", body, format="json")
    assert response.status_code == 200, response.content
    assert [r["done"] for r in response.json()] == [True, True]
    bad = api_for(coordinator).post(
        "/api/v1/incidents/bulk/", {"ids": [999999], "action": "x"}, format="json"
    )
    assert bad.status_code == 400
