"""The TAXII 2.1 server driven by the `taxii2-client` library against a live server, with API tokens.

Org A's responder reaches the incident's indicators and the advisory aimed at org A; the outsider (org B)
reaches neither; TLP:RED reaches only the people named on the incident.
"""

import datetime
import threading
import time

import pytest
import requests
from django.db import connection
from taxii2client.v21 import Collection, Server, as_pages

from ungcuu.accounts import tokens
from ungcuu.incidents.models import Incident
from ungcuu.intel import stix
from ungcuu.intel.tests.conftest import VALUES
from ungcuu.intel.tests.helpers import assert_valid_stix

# `live_server` comes last in each test's arguments: the session's live server is then started after the
# test database exists and stopped before it is dropped (PostgreSQL refuses to drop a database in use).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


OPEN: list[Server] = []


@pytest.fixture(autouse=True)
def _close_clients():
    """Close each client's HTTP session: a kept-alive connection keeps a live-server thread (and its
    database session) alive, and PostgreSQL then refuses to drop the test database."""
    yield
    while OPEN:
        server = OPEN.pop()
        for root in getattr(server, "_api_roots", None) or []:  # each API root has its own session
            root.close()
        server.close()
    # The live server answers each connection in a thread that closes its database session only when the
    # client's connection ends; one kept alive by the HTTP client outlived the test (seen on PostgreSQL:
    # an idle backend left, and the test database could not be dropped). Wait briefly for those threads,
    # then end what is left of them on the database side: they only wait for a next request that never comes.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        "process_request_thread" in t.name for t in threading.enumerate()
    ):
        time.sleep(0.05)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def server_for(live_server, user=None, password=None) -> Server:
    if password is None:
        _token, password = tokens.create_token(actor=user, name="taxii")
    server = Server(
        f"{live_server.url}/taxii2/", user=user.username if user else "responder", password=password
    )
    OPEN.append(server)
    return server


def collection(server: Server, title: str) -> Collection:
    (found,) = [c for c in server.default.collections if c.title == title]
    return found


def patterns(envelope: dict) -> set[str]:
    return {o["pattern"] for o in envelope.get("objects", []) if o["type"] == "indicator"}


def test_discovery_collections_objects_and_manifest(incident, advisory, responder, live_server):
    server = server_for(live_server, responder)
    assert server.title.startswith("Ứng Cứu TAXII")
    assert server.default.versions == ["application/taxii+json;version=2.1"]
    indicators = collection(server, "Indicators of compromise")
    envelope = indicators.get_objects()
    assert len(patterns(envelope)) == len(VALUES) + 2  # the incident's and the advisory's
    for obj in envelope["objects"]:
        assert_valid_stix(
            {"type": "bundle", "id": "bundle--6b6e3a4e-8b50-4b23-9f3b-2f7f3c0a1d11", "objects": [obj]}
        )
    manifest = indicators.get_manifest()
    assert {m["id"] for m in manifest["objects"]} == {o["id"] for o in envelope["objects"]}
    one = envelope["objects"][0]["id"]
    assert indicators.get_object(one)["objects"][0]["id"] == one
    reports = collection(server, "Advisories").get_objects(type="report")
    assert [r["name"] for r in reports["objects"]] == [f"{advisory.reference} {advisory.title}"]


def test_paging_with_limit_and_next_and_added_after(incident, responder, live_server):
    indicators = collection(server_for(live_server, responder), "Indicators of compromise")
    pages = list(as_pages(indicators.get_objects, per_request=3))
    assert [len(p.get("objects", [])) for p in pages] == [3, 3, 2]
    ids = [o["id"] for p in pages for o in p["objects"]]
    assert len(set(ids)) == len(VALUES)
    later = incident.indicator_links.order_by("added_at")[4].added_at - datetime.timedelta(microseconds=1)
    newer = indicators.get_objects(added_after=later.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    assert len(newer["objects"]) == 4


def test_outsider_receives_nothing_of_org_a(incident, advisory, outsider, live_server):
    server = server_for(live_server, outsider)
    assert collection(server, "Indicators of compromise").get_objects().get("objects", []) == []
    assert collection(server, "Advisories").get_objects().get("objects", []) == []


def test_tlp_red_reaches_only_the_named(incident, viewer, responder, live_server):
    Incident.objects.filter(pk=incident.pk).update(tlp=Incident.Tlp.RED)
    viewer_feed = collection(server_for(live_server, viewer), "Indicators of compromise")
    assert viewer_feed.get_objects().get("objects", []) == []  # sees the incident, not named on it
    reporter_feed = collection(server_for(live_server, responder), "Indicators of compromise")
    objects = reporter_feed.get_objects()["objects"]
    assert {o["object_marking_refs"][0] for o in objects} == {
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
    }


def refused(call) -> int:
    """The status of a request the client raises for; the response is closed (an unread error body keeps
    its connection, and the live server's thread with its database session, open past the test)."""
    with pytest.raises(requests.HTTPError) as caught:
        call()
    caught.value.response.close()
    return caught.value.response.status_code


def test_bad_credentials_and_bad_parameters(incident, responder, live_server):
    assert refused(server_for(live_server, password="wrong").refresh) == 401
    indicators = collection(server_for(live_server, responder), "Indicators of compromise")
    accept = {"Accept": "application/taxii+json;version=2.1"}
    assert refused(lambda: indicators.get_objects(added_after="yesterday")) == 400
    for bad in ({"limit": "0"}, {"limit": "x"}, {"next": "!!"}):
        assert (
            refused(lambda bad=bad: indicators._conn.get(indicators.objects_url, headers=accept, params=bad))
            == 400
        )
    missing = indicators.objects_url + stix.stable_id("indicator", "nothing") + "/"
    assert refused(lambda: indicators._conn.get(missing, headers=accept)) == 404
