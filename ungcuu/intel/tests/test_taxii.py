"""The TAXII 2.1 server driven by the `taxii2-client` library against a live server, with API tokens.

Org A's responder reaches the incident's indicators and the advisory aimed at org A; the outsider (org B)
reaches neither; TLP:RED reaches only the people named on the incident.
"""

import datetime

import pytest
import requests
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import Collection, Server, as_pages

from ungcuu.accounts import tokens
from ungcuu.incidents.models import Incident
from ungcuu.intel import stix
from ungcuu.intel.tests.conftest import VALUES
from ungcuu.intel.tests.helpers import assert_valid_stix

pytestmark = pytest.mark.django_db(transaction=True)


def server_for(live_server, user) -> Server:
    _token, secret = tokens.create_token(actor=user, name="taxii")
    return Server(f"{live_server.url}/taxii2/", user=user.username, password=secret)


def collection(server: Server, title: str) -> Collection:
    (found,) = [c for c in server.default.collections if c.title == title]
    return found


def patterns(envelope: dict) -> set[str]:
    return {o["pattern"] for o in envelope.get("objects", []) if o["type"] == "indicator"}


def test_discovery_collections_objects_and_manifest(live_server, incident, advisory, responder):
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


def test_paging_with_limit_and_next_and_added_after(live_server, incident, responder):
    indicators = collection(server_for(live_server, responder), "Indicators of compromise")
    pages = list(as_pages(indicators.get_objects, per_request=3))
    assert [len(p.get("objects", [])) for p in pages] == [3, 3, 2]
    ids = [o["id"] for p in pages for o in p["objects"]]
    assert len(set(ids)) == len(VALUES)
    later = incident.indicator_links.order_by("added_at")[4].added_at - datetime.timedelta(microseconds=1)
    newer = indicators.get_objects(added_after=later.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    assert len(newer["objects"]) == 4


def test_outsider_receives_nothing_of_org_a(live_server, incident, advisory, outsider):
    server = server_for(live_server, outsider)
    assert collection(server, "Indicators of compromise").get_objects().get("objects", []) == []
    assert collection(server, "Advisories").get_objects().get("objects", []) == []


def test_tlp_red_reaches_only_the_named(live_server, incident, viewer, responder):
    Incident.objects.filter(pk=incident.pk).update(tlp=Incident.Tlp.RED)
    viewer_feed = collection(server_for(live_server, viewer), "Indicators of compromise")
    assert viewer_feed.get_objects().get("objects", []) == []  # sees the incident, not named on it
    reporter_feed = collection(server_for(live_server, responder), "Indicators of compromise")
    objects = reporter_feed.get_objects()["objects"]
    assert {o["object_marking_refs"][0] for o in objects} == {
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
    }


def test_bad_credentials_and_bad_parameters(live_server, incident, responder):
    with pytest.raises(requests.HTTPError) as caught:
        Server(f"{live_server.url}/taxii2/", user="responder", password="wrong").refresh()
    assert caught.value.response.status_code == 401
    indicators = collection(server_for(live_server, responder), "Indicators of compromise")
    for bad in ({"added_after": "yesterday"}, {"limit": "0"}, {"next": "!!"}):
        with pytest.raises(requests.HTTPError) as caught:
            indicators.get_objects(**bad) if "added_after" in bad else indicators._conn.get(
                indicators.objects_url, headers={"Accept": "application/taxii+json;version=2.1"}, params=bad
            )
        assert caught.value.response.status_code == 400
    with pytest.raises((requests.HTTPError, TAXIIServiceException)):
        indicators.get_object(stix.stable_id("indicator", "nothing"))
