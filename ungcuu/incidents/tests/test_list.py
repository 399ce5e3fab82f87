"""The incident list (issue 15): handler, next deadline, age and lateness; sorting; rows per page."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ungcuu.incidents import services
from ungcuu.incidents.tests.factories import reported

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def incidents(manager, org_a, coordinator):
    with time_machine.travel(NOW - datetime.timedelta(days=10), tick=False):
        old = reported(manager, org_a, "Sự cố B cũ")
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        new = reported(manager, org_a, "Sự cố A mới")
    services.assign_handler(actor=coordinator, incident=new, handler=coordinator)
    return old, new


@time_machine.travel(NOW, tick=False)
def test_list_shows_handler_next_deadline_and_late(client_for, coordinator, incidents):
    old, new = incidents
    page = client_for(coordinator).get("/incidents/").content.decode()
    assert str(coordinator) in page  # the handler column
    late_rows = [row for row in page.split("<tr") if 'class="late"' in row]
    assert len(late_rows) == 1 and old.reference in late_rows[0]  # its intake clocks ran out days ago


@time_machine.travel(NOW, tick=False)
def test_list_sorts_on_indexed_columns_and_takes_a_page_size(client_for, coordinator, incidents):
    old, new = incidents
    client = client_for(coordinator)
    default = client.get("/incidents/").content.decode()
    assert default.index(new.reference) < default.index(old.reference)  # newest first
    oldest = client.get("/incidents/?sort=reported_at").content.decode()
    assert oldest.index(old.reference) < oldest.index(new.reference)
    assert client.get("/incidents/?per_page=50").context["page"].paginator.per_page == 50
    assert client.get("/incidents/?per_page=7").context["page"].paginator.per_page == 25


@time_machine.travel(NOW, tick=False)
def test_list_queries_do_not_grow_with_rows(client_for, coordinator, incidents, manager, org_a):
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as two:
        client.get("/incidents/")
    for n in range(3):
        reported(manager, org_a, f"Sự cố thêm {n}")
    with CaptureQueriesContext(connection) as five:
        client.get("/incidents/")
    assert len(five) == len(two)


def test_api_sorts_too(api_for, coordinator, outsider, incidents):
    old, new = incidents
    rows = api_for(coordinator).get("/api/v1/incidents/?sort=reported_at").json()["results"]
    assert [r["reference"] for r in rows] == [old.reference, new.reference]
    assert api_for(outsider).get("/api/v1/incidents/?sort=reported_at").json()["results"] == []
