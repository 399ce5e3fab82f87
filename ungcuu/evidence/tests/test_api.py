"""Evidence API: tenancy gate on list/retrieve, multipart upload statuses, audited download."""

import hashlib

import pytest
from django.urls import reverse

from ungcuu.evidence.models import CustodyEntry, Evidence
from ungcuu.evidence.tests.helpers import stored_files, upload, zip_bytes
from ungcuu.incidents.models import TimelineEvent

pytestmark = pytest.mark.django_db

LIST = "/api/v1/evidence/"


def create(client, incident, file, **fields):
    data = {"incident": incident.pk, "file": file, "kind": "log", "classification": "internal", **fields}
    return client.post(LIST, data, format="multipart")


def test_list_and_retrieve_follow_the_incident_gate(api_for, evidence, viewer, outsider, coordinator):
    for user in (viewer, coordinator):
        body = api_for(user).get(LIST).json()
        assert [row["sha256"] for row in body["results"]] == [evidence.sha256]
    assert api_for(outsider).get(LIST).json()["results"] == []
    assert api_for(outsider).get(f"{LIST}{evidence.pk}/").status_code == 404
    assert api_for(viewer).get(f"{LIST}{evidence.pk}/").json()["original_name"] == "access.log"
    assert api_for().get(LIST).status_code == 401


def test_list_filters_by_incident(api_for, evidence, responder):
    client = api_for(responder)
    assert len(client.get(LIST, {"incident": evidence.incident.pk}).json()["results"]) == 1
    assert client.get(LIST, {"incident": evidence.incident.pk + 1000}).json()["results"] == []


def test_password_hint_only_for_those_who_may_download(api_for, incident, responder, viewer):
    sealed = upload("s.zip", zip_bytes({"x.exe": b"MZ"}))
    create(api_for(responder), incident, sealed, kind="sample_archive", password_hint="infected")
    assert api_for(responder).get(LIST).json()["results"][0]["archive_password_hint"] == "infected"
    assert api_for(viewer).get(LIST).json()["results"][0]["archive_password_hint"] is None


def test_multipart_create(api_for, incident, responder):
    content = b"\xd4\xc3\xb2\xa1pcap"
    response = create(
        api_for(responder), incident, upload("c.pcap", content), kind="pcap", description="tcpdump"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest() and body["size"] == len(content)
    assert Evidence.objects.get().custody.get().action == "uploaded"


def test_create_too_large_is_413_and_nothing_saved(api_for, incident, responder, settings, media):
    settings.EVIDENCE_MAX_BYTES = 5
    response = create(api_for(responder), incident, upload("a.log", b"123456"))
    assert response.status_code == 413 and "file" in response.json()
    assert Evidence.objects.count() == 0 and stored_files(media) == []


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"file": upload("a.log", b"")}, "file"),
        ({"kind": "malware"}, "kind"),
        ({"classification": "secret_state"}, "classification"),
        ({"classification": ""}, "classification"),
        ({"file": upload("a.exe", b"MZ")}, "file"),
    ],
)
def test_create_refusals_are_400(api_for, incident, responder, media, fields, key):
    data = {"file": upload("a.log", b"x"), **fields}
    response = create(api_for(responder), incident, **data)
    assert response.status_code == 400 and key in response.json()
    assert Evidence.objects.count() == 0 and stored_files(media) == []


def test_create_on_hidden_incident_is_404_and_for_viewer_403(api_for, incident, viewer, outsider, media):
    assert create(api_for(outsider), incident, upload("a.log", b"x")).status_code == 404
    assert create(api_for(viewer), incident, upload("a.log", b"x")).status_code == 403
    assert Evidence.objects.count() == 0 and stored_files(media) == []


def test_download_via_api_is_audited_and_refused_to_viewer(api_for, evidence, coordinator, viewer, outsider):
    url = reverse("evidence-download", args=[evidence.pk])
    before = CustodyEntry.objects.count()
    assert api_for(viewer).get(url).status_code == 403
    assert api_for(outsider).get(url).status_code == 404
    assert CustodyEntry.objects.count() == before
    response = api_for(coordinator).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"GET /admin 200\n"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert evidence.custody.filter(action="downloaded", actor=coordinator).count() == 1
    assert evidence.incident.timeline.filter(kind=TimelineEvent.Kind.EVIDENCE, actor=coordinator).exists()


def test_no_update_or_delete_through_the_api(api_for, evidence, coordinator):
    client = api_for(coordinator)
    assert client.patch(f"{LIST}{evidence.pk}/", {"description": "x"}).status_code == 405
    assert client.delete(f"{LIST}{evidence.pk}/").status_code == 405
