"""Evidence rules: what is refused before storage, hashing while streaming, audit rows, who may act."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.utils import translation

from ungcuu.evidence import services
from ungcuu.evidence.access import can_download, can_upload
from ungcuu.evidence.models import CustodyEntry, Evidence
from ungcuu.evidence.tests.conftest import report_incident
from ungcuu.evidence.tests.helpers import stored_files, upload, zip_bytes
from ungcuu.incidents.models import TimelineEvent
from ungcuu.organizations.tests.factories import member

pytestmark = pytest.mark.django_db


def add(actor, incident, file, kind="log", classification="internal", **extra):
    return services.add_evidence(
        actor=actor, incident=incident, uploaded_file=file, kind=kind, classification=classification, **extra
    )


def assert_nothing_saved(media):
    assert Evidence.objects.count() == 0
    assert CustodyEntry.objects.count() == 0
    assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.EVIDENCE).exists()
    assert stored_files(media) == []


def test_upload_stores_size_and_sha256_under_a_random_name(incident, responder, media):
    content = b"Nov 28 10:00:01 sshd[42]: Failed password for root\n" * 100
    ev = add(responder, incident, upload("nhật ký sshd.log", content, "text/plain"), ip_address="10.0.0.5")
    assert ev.sha256 == hashlib.sha256(content).hexdigest()
    assert ev.size == len(content) and ev.original_name == "nhật ký sshd.log"
    assert ev.content_type == "text/plain"
    assert ev.file.name.startswith("evidence/") and "sshd" not in ev.file.name
    [on_disk] = stored_files(media)
    assert on_disk.read_bytes() == content and on_disk.name == ev.file.name.rsplit("/", 1)[1]
    entry = ev.custody.get()
    assert (entry.action, entry.actor, entry.ip_address) == ("uploaded", responder, "10.0.0.5")
    event = incident.timeline.get(kind=TimelineEvent.Kind.EVIDENCE)
    assert event.data["action"] == "uploaded" and event.data["sha256"] == ev.sha256


def test_large_upload_is_hashed_chunk_by_chunk_from_its_temporary_file(incident, responder):
    content = b"\xd4\xc3\xb2\xa1" + bytes(range(256)) * 1024  # a capture of 256 KiB: several 64 KiB chunks
    tmp = TemporaryUploadedFile("capture.pcap", "application/vnd.tcpdump.pcap", len(content), None)
    tmp.write(content)
    tmp.seek(0)
    with tmp:
        ev = add(responder, incident, tmp, kind="pcap")
        # The temp file is copied through the hash, not moved away behind its back.
        assert tmp.temporary_file_path()
    assert ev.sha256 == hashlib.sha256(content).hexdigest() and ev.size == len(content)
    with ev.file.open("rb") as stored:
        assert stored.read() == content


def test_oversize_upload_raises_too_large_and_saves_nothing(incident, responder, settings, media):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(services.EvidenceTooLarge):
        add(responder, incident, upload("big.log", b"x" * 11))
    assert_nothing_saved(media)


def test_upload_whose_size_lies_is_stopped_while_streaming_and_the_partial_file_removed(
    incident, responder, settings, media
):
    settings.EVIDENCE_MAX_BYTES = 100
    liar = upload("big.log", b"x" * 1000)
    liar.size = 10
    with pytest.raises(services.EvidenceTooLarge):
        add(responder, incident, liar)
    assert_nothing_saved(media)


def test_empty_file_is_refused(incident, responder, media):
    with pytest.raises(ValidationError) as err:
        add(responder, incident, upload("empty.log", b""))
    assert "file" in err.value.message_dict
    assert_nothing_saved(media)


def test_state_secret_classification_is_always_refused(incident, coordinator, media):
    with pytest.raises(ValidationError) as err:
        add(
            coordinator,
            incident,
            upload("memo.pdf", b"%PDF-1.7"),
            kind="document",
            classification="secret_state",
        )
    assert "Internet" in " ".join(err.value.message_dict["classification"])
    assert_nothing_saved(media)


def test_classification_is_required(incident, responder, media):
    with pytest.raises(ValidationError) as err:
        add(responder, incident, upload("a.log", b"x"), classification="")
    assert "classification" in err.value.message_dict
    assert_nothing_saved(media)


@pytest.mark.parametrize("name", ["payload.exe", "script.ps1", "noextension", ".zip"])
def test_file_types_outside_the_allowed_list_are_refused(incident, responder, media, name):
    with pytest.raises(ValidationError) as err:
        add(responder, incident, upload(name, b"MZ"))
    assert "file" in err.value.message_dict
    assert_nothing_saved(media)


def test_allowed_extensions_come_from_settings(incident, responder, settings):
    settings.EVIDENCE_ALLOWED_EXTENSIONS = ["txt"]
    with pytest.raises(ValidationError):
        add(responder, incident, upload("a.log", b"x"))
    assert add(responder, incident, upload("A.TXT", b"x")).original_name == "A.TXT"


def test_unencrypted_zip_is_refused_as_a_malware_sample(incident, responder, media):
    plain = zip_bytes({"sample.exe": b"MZ\x90\x00"}, encrypt=set())
    with pytest.raises(ValidationError) as err:
        add(responder, incident, upload("sample.zip", plain), kind="sample_archive")
    assert "file" in err.value.message_dict
    assert_nothing_saved(media)


def test_zip_with_one_unencrypted_member_is_refused_as_a_sample(incident, responder, media):
    mixed = zip_bytes({"a.exe": b"MZ", "readme.txt": b"infected"}, encrypt={"a.exe"})
    with pytest.raises(ValidationError):
        add(responder, incident, upload("sample.zip", mixed), kind="sample_archive")
    assert_nothing_saved(media)


def test_encrypted_zip_is_accepted_as_a_malware_sample(incident, responder):
    sealed = zip_bytes({"dropper.exe": b"MZ\x90\x00", "dir/stage2.dll": b"MZ"})
    ev = add(
        responder, incident, upload("sample.zip", sealed), kind="sample_archive", password_hint="infected"
    )
    assert ev.kind == "sample_archive" and ev.archive_password_hint == "infected"
    assert ev.sha256 == hashlib.sha256(sealed).hexdigest()


def test_broken_zip_is_refused_as_a_sample(incident, responder, media):
    with pytest.raises(ValidationError):
        add(responder, incident, upload("sample.zip", b"PK\x03\x04 not really"), kind="sample_archive")
    assert_nothing_saved(media)


def test_sample_outside_an_archive_is_refused(incident, responder, media):
    with pytest.raises(ValidationError) as err:
        add(responder, incident, upload("dropper.txt", b"MZ"), kind="sample_archive")
    assert "kind" in err.value.message_dict
    assert_nothing_saved(media)


@pytest.mark.parametrize(
    ("name", "head"), [("sample.7z", b"7z\xbc\xaf\x27\x1c\x00\x04"), ("sample.rar", b"Rar!\x1a\x07\x01\x00")]
)
def test_7z_or_rar_sample_needs_its_declared_password(incident, responder, media, name, head):
    with pytest.raises(ValidationError) as err:
        add(responder, incident, upload(name, head), kind="sample_archive", password_hint=" ")
    assert "password_hint" in err.value.message_dict
    assert_nothing_saved(media)
    ev = add(responder, incident, upload(name, head), kind="sample_archive", password_hint="infected")
    assert ev.pk


def test_plain_zip_is_fine_when_it_is_not_a_sample(incident, responder):
    logs = zip_bytes({"access.log": b"GET /"}, encrypt=set())
    assert add(responder, incident, upload("logs.zip", logs), kind="log").size == len(logs)


def test_database_failure_leaves_no_file_and_no_row(incident, responder, media, monkeypatch):
    def broken_record(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "record", broken_record)
    with pytest.raises(RuntimeError):
        add(responder, incident, upload("access.log", b"GET /"))
    assert_nothing_saved(media)


def test_who_may_upload(incident, responder, coordinator, viewer, outsider, manager, media):
    for allowed in (responder, coordinator, manager):
        assert can_upload(allowed, incident)
    for refused in (viewer, outsider):
        assert not can_upload(refused, incident)
        with pytest.raises(PermissionDenied):
            add(refused, incident, upload("a.log", b"x"))
    assert stored_files(media) == []


def test_reporter_from_another_unit_may_upload(org_a, outsider):
    incident = report_incident(outsider, org_a, reporter_name="Người Ngoài")
    assert can_upload(outsider, incident) and can_download(outsider, incident)


def test_operator_responder_who_did_not_report_downloads_only_once_handling_starts(incident, org_a):
    colleague = member(org_a, "responder", username="colleague")
    assert can_upload(colleague, incident)
    assert not can_download(colleague, incident)  # intake is the specialised unit's act


def test_download_writes_custody_and_timeline(evidence, coordinator):
    entry = services.record_download(actor=coordinator, evidence=evidence, ip_address="192.0.2.7")
    assert (entry.action, entry.actor, entry.ip_address) == ("downloaded", coordinator, "192.0.2.7")
    event = evidence.incident.timeline.filter(kind=TimelineEvent.Kind.EVIDENCE).last()
    assert event.actor == coordinator
    assert event.data == {"action": "downloaded", "evidence_id": evidence.pk}


def test_download_ip_that_is_not_an_address_is_dropped(evidence, responder):
    assert (
        services.record_download(actor=responder, evidence=evidence, ip_address="unknown").ip_address is None
    )


def test_viewer_and_outsider_cannot_download_and_nothing_is_recorded(evidence, viewer, outsider, national):
    before = (CustodyEntry.objects.count(), TimelineEvent.objects.count())
    for user in (viewer, outsider, national):
        with pytest.raises(PermissionDenied):
            services.record_download(actor=user, evidence=evidence, ip_address="192.0.2.7")
    assert (CustodyEntry.objects.count(), TimelineEvent.objects.count()) == before


def test_holders_record_hand_overs_but_not_fake_downloads(evidence, responder, viewer):
    entry = services.add_custody_note(
        actor=responder, evidence=evidence, action="transferred", note="Giao cho Công an tỉnh (PA05)"
    )
    assert entry.action == "transferred"
    assert evidence.incident.timeline.last().data["action"] == "transferred"
    with pytest.raises(ValidationError):
        services.add_custody_note(actor=responder, evidence=evidence, action="downloaded", note="x")
    with pytest.raises(ValidationError):
        services.add_custody_note(actor=responder, evidence=evidence, action="note", note="  ")
    with pytest.raises(PermissionDenied):
        services.add_custody_note(actor=viewer, evidence=evidence, action="note", note="x")
    assert evidence.custody.count() == 2


def test_confidential_incident_evidence_is_hidden_from_the_unit(org_a, responder, viewer, coordinator):
    secret = report_incident(responder, org_a, confidential=True)
    add(responder, secret, upload("a.log", b"x"))
    assert Evidence.objects.visible_to(responder).count() == 1
    assert Evidence.objects.visible_to(coordinator).count() == 1  # no handler yet: coordinators take it in
    assert Evidence.objects.visible_to(viewer).count() == 0
    assert not can_upload(viewer, secret) and not can_download(viewer, secret)


PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(48)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("access.log", PE),
        ("access.log", ELF),
        ("notes.txt", b"#!/usr/bin/env python3\nimport os\n"),
        ("trace.pcap", b"\xcf\xfa\xed\xfe" + bytes(32)),  # a Mach-O binary
        ("photo.png", PE),
    ],
)
def test_programs_are_refused_whatever_their_name(incident, responder, media, name, content):
    with pytest.raises(ValidationError) as err:
        add(responder, incident, upload(name, content))
    assert err.value.message_dict["file"] == [str(services.PROGRAM_REFUSED)]
    assert_nothing_saved(media)


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.png", b"<html><script>alert(1)</script>"), ("memo.pdf", b"GIF89a"), ("c.pcap", b"plain text\n")],
)
def test_binary_formats_must_be_what_their_name_says(incident, responder, media, name, content):
    with pytest.raises(ValidationError) as err:
        add(responder, incident, upload(name, content))
    assert "content is not a ." in err.value.message_dict["file"][0]
    assert_nothing_saved(media)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("auth.log", b"Jan  1 00:00:01 srv sshd[1]: Failed password for root from 198.51.100.4\n"),
        ("nhật ký.txt", "Máy chủ bị tấn công lúc 2 giờ sáng\n".encode()),
        ("events.json", b'{"event": "login"}'),
        ("c.pcap", b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(16)),
        ("c.pcapng", b"\x0a\x0d\x0d\x0a" + bytes(16)),
        ("shot.png", b"\x89PNG\r\n\x1a\n" + bytes(16)),
        ("shot.jpg", b"\xff\xd8\xff\xe0" + bytes(16)),
        ("memo.pdf", b"%PDF-1.7\n"),
        ("logs.gz", b"\x1f\x8b\x08\x00" + bytes(16)),
        ("security.evtx", b"ElfFile\x00" + bytes(16)),
        ("logs.zip", zip_bytes({"access.log": b"GET /"}, encrypt=set())),
    ],
)
def test_ordinary_evidence_is_accepted_by_content(incident, responder, name, content):
    assert add(responder, incident, upload(name, content)).size == len(content)


def test_program_refusal_is_in_vietnamese():
    with translation.override("vi"):
        assert str(services.PROGRAM_REFUSED).startswith("Tệp này là một chương trình hoặc tập lệnh")
