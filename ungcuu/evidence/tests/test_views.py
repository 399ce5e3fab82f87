"""Evidence pages: upload refusals with the right status, the audited download, and isolation."""

import hashlib

import pytest
from django.template import RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from ungcuu.evidence.models import CustodyEntry, Evidence
from ungcuu.evidence.presenters import incident_evidence_context
from ungcuu.evidence.tests.helpers import stored_files, upload, zip_bytes
from ungcuu.incidents.models import TimelineEvent

pytestmark = pytest.mark.django_db


def post_upload(client, incident, file, **fields):
    data = {"file": file, "kind": "log", "classification": "internal", "description": "", **fields}
    return client.post(reverse("evidence:upload", args=[incident.pk]), data)


def test_upload_page_is_for_uploaders_only(client_for, incident, responder, viewer, outsider):
    url = reverse("evidence:upload", args=[incident.pk])
    assert client_for(responder).get(url).status_code == 200
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert client_for().get(url).status_code == 302  # to the login page


def test_upload_stores_the_file_and_returns_to_the_incident_page(client_for, incident, responder):
    content = b"GET /wp-login.php 200\n"
    back = reverse("evidence:incident", args=[incident.pk])
    response = post_upload(client_for(responder), incident, upload("access.log", content), next=back)
    assert response.status_code == 302 and response["Location"] == back
    ev = Evidence.objects.get()
    assert ev.sha256 == hashlib.sha256(content).hexdigest() and ev.uploaded_by == responder


def test_upload_ignores_an_offsite_next(client_for, incident, responder):
    response = post_upload(
        client_for(responder), incident, upload("a.log", b"x"), next="https://evil.example/"
    )
    assert response["Location"] == reverse("evidence:detail", args=[Evidence.objects.get().pk])


def test_oversize_upload_is_413_and_nothing_is_saved(client_for, incident, responder, settings, media):
    settings.EVIDENCE_MAX_BYTES = 100
    response = post_upload(client_for(responder), incident, upload("big.log", b"x" * 101))
    assert response.status_code == 413
    assert b"evidence-upload-form" in response.content
    assert Evidence.objects.count() == 0 and stored_files(media) == []


def test_empty_upload_is_400(client_for, incident, responder, media):
    response = post_upload(client_for(responder), incident, upload("empty.log", b""))
    assert response.status_code == 400 and b"The file is empty." in response.content
    assert Evidence.objects.count() == 0 and stored_files(media) == []


def test_state_secret_upload_is_400_with_the_refusal(client_for, incident, responder, media):
    response = post_upload(
        client_for(responder), incident, upload("memo.pdf", b"%PDF"), classification="secret_state"
    )
    assert response.status_code == 400
    assert "must not be uploaded to a system connected to the Internet" in response.content.decode()
    assert Evidence.objects.count() == 0 and stored_files(media) == []


def test_missing_classification_is_400(client_for, incident, responder):
    response = post_upload(client_for(responder), incident, upload("a.log", b"x"), classification="")
    assert response.status_code == 400 and Evidence.objects.count() == 0


def test_unencrypted_sample_is_400_and_encrypted_one_is_stored(client_for, incident, responder):
    client = client_for(responder)
    plain = zip_bytes({"x.exe": b"MZ"}, encrypt=set())
    assert post_upload(client, incident, upload("s.zip", plain), kind="sample_archive").status_code == 400
    sealed = zip_bytes({"x.exe": b"MZ"})
    response = post_upload(
        client, incident, upload("s.zip", sealed), kind="sample_archive", password_hint="infected"
    )
    assert response.status_code == 302 and Evidence.objects.get().kind == "sample_archive"


def test_viewer_cannot_post_an_upload(client_for, incident, viewer, outsider, media):
    assert post_upload(client_for(viewer), incident, upload("a.log", b"x")).status_code == 403
    assert post_upload(client_for(outsider), incident, upload("a.log", b"x")).status_code == 404
    assert Evidence.objects.count() == 0 and stored_files(media) == []


def test_download_serves_the_file_and_records_custody_and_timeline(client_for, incident, responder):
    post_upload(client_for(responder), incident, upload("nhật ký truy cập.log", b"GET / 200\n"))
    ev = Evidence.objects.get()
    response = client_for(responder).get(reverse("evidence:download", args=[ev.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"GET / 200\n"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''nh%E1%BA%ADt%20k%C3%BD%20truy%20c%E1%BA%ADp.log" in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    entry = ev.custody.filter(action="downloaded").get()
    assert entry.actor == responder and entry.ip_address == "127.0.0.1"
    assert incident.timeline.filter(kind=TimelineEvent.Kind.EVIDENCE, data__action="downloaded").count() == 1


def test_viewer_gets_403_and_outsider_404_on_download_and_nothing_is_recorded(
    client_for, evidence, viewer, outsider
):
    url = reverse("evidence:download", args=[evidence.pk])
    before = (CustodyEntry.objects.count(), TimelineEvent.objects.count())
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert (CustodyEntry.objects.count(), TimelineEvent.objects.count()) == before


def test_custody_page_shows_hash_to_viewer_without_download(
    client_for, evidence, viewer, outsider, coordinator
):
    url = reverse("evidence:detail", args=[evidence.pk])
    page = client_for(viewer).get(url)
    assert page.status_code == 200
    assert evidence.sha256 in page.content.decode() and b'id="download"' not in page.content
    assert b'id="custody-form"' not in page.content
    full = client_for(coordinator).get(url)
    assert b'id="download"' in full.content and b'id="custody-form"' in full.content
    assert client_for(outsider).get(url).status_code == 404


def test_custody_note_from_the_page(client_for, evidence, responder, viewer):
    url = reverse("evidence:custody_add", args=[evidence.pk])
    data = {"action": "verified", "note": "SHA-256 khớp"}
    assert client_for(viewer).post(url, data).status_code == 403
    assert client_for(responder).post(url, data).status_code == 302
    assert client_for(responder).post(url, {"action": "downloaded", "note": "x"}).status_code == 400
    assert list(evidence.custody.values_list("action", flat=True)) == ["uploaded", "verified"]


def test_incident_evidence_list_page_and_fragment(client_for, evidence, viewer, outsider):
    url = reverse("evidence:incident", args=[evidence.incident.pk])
    page = client_for(viewer).get(url)
    assert page.status_code == 200 and b"access.log" in page.content and b"<html" in page.content
    fragment = client_for(viewer).get(url, headers={"hx-request": "true"})
    assert b"access.log" in fragment.content and b"<html" not in fragment.content
    assert client_for(outsider).get(url).status_code == 404


def test_incident_fragment_shows_download_and_upload_only_to_those_allowed(evidence, viewer, responder):
    def render_for(user):
        request = RequestFactory().get(f"/incidents/{evidence.incident.pk}/")
        request.user = user
        context = incident_evidence_context(user, evidence.incident)
        return render_to_string("evidence/_incident_evidence.html", context, request=request)

    as_viewer, as_responder = render_for(viewer), render_for(responder)
    assert "access.log" in as_viewer and evidence.sha256 in as_viewer
    assert reverse("evidence:download", args=[evidence.pk]) not in as_viewer
    assert "evidence-upload-form" not in as_viewer
    assert reverse("evidence:download", args=[evidence.pk]) in as_responder
    assert "evidence-upload-form" in as_responder and 'name="next"' in as_responder


def test_download_answers_get_only_so_nothing_else_is_a_silent_disclosure(client_for, evidence, coordinator):
    url = reverse("evidence:download", args=[evidence.pk])
    assert client_for(coordinator).post(url).status_code == 405
    assert client_for(coordinator).head(url).status_code == 405
    assert not evidence.custody.filter(action="downloaded").exists()


def test_custody_entry_without_an_action_is_a_note(client_for, evidence, coordinator):
    response = client_for(coordinator).post(
        reverse("evidence:custody_add", args=[evidence.pk]), {"note": "ok"}
    )
    assert response.status_code == 302
    assert evidence.custody.last().action == "note"


def test_incident_page_can_include_the_fragment_with_one_tag(evidence, responder):
    request = RequestFactory().get(f"/incidents/{evidence.incident.pk}/")
    request.user = responder
    html = Template("{% load evidence_tags %}{% incident_evidence incident %}").render(
        RequestContext(request, {"incident": evidence.incident})
    )
    assert "access.log" in html and "evidence-upload-form" in html and "csrfmiddlewaretoken" in html
    assert reverse("evidence:download", args=[evidence.pk]) in html


def test_custody_records_the_client_behind_the_proxy_not_a_spoofed_address(
    client_for, api_for, incident, responder, viewer, outsider, settings
):
    """Issue 10, leak 7: custody recorded REMOTE_ADDR only, i.e. the proxy's address for everyone."""
    settings.TRUSTED_PROXY_COUNT = 1
    forwarded = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9", "REMOTE_ADDR": "10.0.0.2"}
    url = reverse("evidence:upload", args=[incident.pk])
    data = {"file": upload("a.log", b"x\n"), "kind": "log", "classification": "internal", "description": ""}
    assert client_for(responder).post(url, data, **forwarded).status_code == 302
    ev = Evidence.objects.get()
    api_for(responder).get(f"/api/v1/evidence/{ev.pk}/download/", **forwarded)
    assert list(ev.custody.order_by("pk").values_list("action", "ip_address")) == [
        ("uploaded", "203.0.113.9"),
        ("downloaded", "203.0.113.9"),
    ]
    for user, status in ((viewer, 403), (outsider, 404)):
        assert (
            client_for(user).get(reverse("evidence:download", args=[ev.pk]), **forwarded).status_code
            == status
        )
    assert ev.custody.count() == 2


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(48)


def test_program_renamed_log_is_400_and_nothing_written(
    client_for, api_for, incident, responder, viewer, media
):
    """Issue 10, leak 8: only the extension was checked, so an executable named .log was stored."""
    response = post_upload(client_for(responder), incident, upload("access.log", ELF))
    assert response.status_code == 400 and "is a program or a script" in response.content.decode()
    api = create_by_api(api_for(responder), incident, upload("run.log", b"#!/bin/sh\ncurl x | sh\n"))
    assert api.status_code == 400 and "is a program or a script" in api.json()["file"][0]
    assert post_upload(client_for(viewer), incident, upload("access.log", ELF)).status_code == 403
    assert Evidence.objects.count() == 0 and CustodyEntry.objects.count() == 0 and stored_files(media) == []


def create_by_api(client, incident, file):
    data = {"incident": incident.pk, "file": file, "kind": "log", "classification": "internal"}
    return client.post("/api/v1/evidence/", data, format="multipart")
