"""Files attached to a coordination answer (the ISP's logs): checked and hashed like evidence, kept with
the request, read by whoever reads the request and nobody else (issue 15)."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ungcuu.audit.models import AuditEvent
from ungcuu.coordination import services
from ungcuu.coordination.models import AnswerAttachment, CoordinationRequest
from ungcuu.incidents.models import TimelineEvent

pytestmark = pytest.mark.django_db

LOG = b'203.0.113.77 - - [12/Nov/2026:07:02:11 +0700] "POST /upload.php HTTP/1.1" 200 312\n'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def log_file(name="access.log", content=LOG):
    return SimpleUploadedFile(name, content, content_type="text/plain")


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


def answer(actor, req, files, **overrides):
    data = {"answer": "Đã trích xuất nhật ký truy cập.", "outcome": "done", "files": files} | overrides
    return services.answer_request(actor=actor, request=req, **data)


def test_answer_keeps_its_files_with_size_and_sha256(takedown, isp_responder, media):
    req = answer(isp_responder, takedown, [log_file(), SimpleUploadedFile("capture.png", PNG)])
    files = list(req.attachments.order_by("original_name"))
    assert [f.original_name for f in files] == ["access.log", "capture.png"]
    assert files[0].sha256 == hashlib.sha256(LOG).hexdigest() and files[0].size == len(LOG)
    assert files[0].kind == "log" and files[1].kind == "image"
    assert files[0].file.name != "access.log"  # a random name on disk, never the sender's
    assert len(stored_files(media)) == 2
    entry = takedown.incident.timeline.filter(kind=TimelineEvent.Kind.COORDINATION).last()
    assert entry.data["attachments"] == 2 and "access.log" not in entry.message


def test_a_program_under_a_log_name_refuses_the_whole_answer(takedown, isp_responder, media):
    with pytest.raises(ValidationError) as refused:
        answer(
            isp_responder, takedown, [log_file(), log_file("run.log", b"\x7fELF\x02\x01\x01" + b"\x00" * 60)]
        )
    assert "run.log" in str(refused.value.message_dict["files"])
    takedown.refresh_from_db()
    assert takedown.status == CoordinationRequest.Status.SENT and not AnswerAttachment.objects.exists()
    assert stored_files(media) == []  # nothing half-written


def test_oversize_or_unknown_type_is_refused(takedown, isp_responder, settings, media):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        answer(isp_responder, takedown, [log_file()])
    settings.EVIDENCE_MAX_BYTES = 10_000
    with pytest.raises(ValidationError):
        answer(isp_responder, takedown, [log_file("macro.docm")])
    assert stored_files(media) == [] and not AnswerAttachment.objects.exists()


def test_a_refused_answer_deletes_the_files_it_stored(takedown, isp_responder, media):
    with pytest.raises(ValidationError):
        answer(isp_responder, takedown, [log_file()], answer="  ")  # the text is checked in the transaction
    assert stored_files(media) == [] and not AnswerAttachment.objects.exists()


def test_viewer_and_other_isp_cannot_answer_with_files(takedown, isp_viewer, other_isp_user, media):
    for user in (isp_viewer, other_isp_user):
        with pytest.raises(PermissionDenied):
            answer(user, takedown, [log_file()])
    assert stored_files(media) == [] and not AnswerAttachment.objects.exists()


def test_answer_page_uploads_files_and_shows_their_hash(client_for, takedown, isp_responder):
    response = client_for(isp_responder).post(
        f"/coordination/{takedown.pk}/answer/",
        {"outcome": "done", "answer": "Đã trích xuất.", "files": [log_file(), log_file("dns.log", b"dns\n")]},
    )
    assert response.status_code == 302
    page = client_for(isp_responder).get(f"/coordination/{takedown.pk}/").content.decode()
    assert 'id="answer-files"' in page and hashlib.sha256(LOG).hexdigest() in page


def test_answer_page_refuses_a_program_with_400_next_to_the_field(client_for, takedown, isp_responder):
    response = client_for(isp_responder).post(
        f"/coordination/{takedown.pk}/answer/",
        {"outcome": "done", "answer": "x", "files": [log_file("a.log", b"#!/bin/sh\nrm -rf /\n")]},
    )
    assert response.status_code == 400 and "a.log" in response.content.decode()
    takedown.refresh_from_db()
    assert takedown.status == CoordinationRequest.Status.SENT


def test_files_are_read_as_the_request_is(
    client_for, takedown, isp_responder, isp_viewer, coordinator, manager, other_isp_user, outsider
):
    answer(isp_responder, takedown, [log_file()])
    attachment = AnswerAttachment.objects.get()
    link = f"/coordination/{takedown.pk}/files/{attachment.pk}/"
    for user in (coordinator, isp_viewer):  # the issuer, and the recipient's read-only member
        response = client_for(user).get(link)
        assert response.status_code == 200 and b"".join(response.streaming_content) == LOG
        assert response["Content-Type"] == "application/octet-stream"
    # the operating unit sees the incident, not the ISP's request; others see neither
    for user in (manager, other_isp_user, outsider):
        assert client_for(user).get(link).status_code == 404
    assert client_for(coordinator).post(link).status_code == 405
    downloads = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD)
    assert downloads.count() == 2 and downloads.first().target_label == f"answer attachment #{attachment.pk}"


def test_a_file_of_another_request_is_not_found_through_this_one(
    client_for, send, isp_responder, coordinator
):
    first, second = send(), send()
    answer(isp_responder, first, [log_file()])
    attachment = AnswerAttachment.objects.get()
    assert client_for(coordinator).get(f"/coordination/{second.pk}/files/{attachment.pk}/").status_code == 404
