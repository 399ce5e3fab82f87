"""E-mail in, end to end against a real IMAP server (dovecot): the poll, the intake door, the log."""

import hashlib

import pytest
import time_machine
from django.conf import settings

from ungcuu.evidence import services as evidence_services
from ungcuu.evidence.models import CustodyEntry, Evidence
from ungcuu.incidents.models import Incident, IncidentReport, TimelineEvent
from ungcuu.incidents.tests.factories import reported
from ungcuu.interop import imap
from ungcuu.interop.jobs import enqueue_mailbox_poll
from ungcuu.interop.models import InboundMessage
from ungcuu.interop.tests.mails import PNG, bounce, legacy, mail, windows_1258
from ungcuu.interop.tests.test_vietnamese import TCVN3_TEXT, TEXT, VNI_TEXT

pytestmark = pytest.mark.django_db
Outcome, Reason = InboundMessage.Outcome, InboundMessage.Reason
NOW = "2026-03-02 09:00 +07:00"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def poll():
    result = imap.poll()
    assert not result.failed
    return [InboundMessage.objects.get(pk=pk) for pk in result.processed]


def test_a_tbsc_message_from_a_focal_point_becomes_a_report_of_that_unit(mailbox, focal_a):
    mailbox.deliver(mail(attachments=[("man-hinh.png", PNG, "image", "png")]))

    [row] = poll()

    assert (row.outcome, row.reason, row.focal_point, row.organization) == (
        Outcome.CREATED,
        "",
        focal_a,
        focal_a.organization,
    )
    report = IncidentReport.objects.get(incident=row.incident)
    assert report.channel == IncidentReport.Channel.EMAIL
    assert report.organization == focal_a.organization and report.reporter_email == "alpha@example.gov.vn"
    assert report.data["email"]["tbsc"] is True
    assert row.incident.title == "Tấn công thay đổi giao diện cổng Alpha"  # the prefix is not part of it
    assert "Đã ngắt kết nối máy chủ." in row.incident.description
    assert row.incident.reference.startswith("NB-2026-")
    assert mailbox.pending(settings.MAIL_INTAKE_DONE_KEYWORD) == 0  # flagged on the server, kept there
    assert mailbox.count() == 1


def test_attachments_are_kept_as_evidence_with_their_hash_and_custody(mailbox, focal_a):
    raw = mail(
        attachments=[
            ("man-hinh.png", PNG, "image", "png"),
            ("nhat-ky.log", b"GET /shell.php\n", "text", "plain"),
        ]
    )
    mailbox.deliver(raw)

    [row] = poll()

    evidence = {e.original_name: e for e in Evidence.objects.filter(incident=row.incident)}
    assert set(evidence) == {"man-hinh.png", "nhat-ky.log", "message.eml"}
    assert evidence["man-hinh.png"].sha256 == hashlib.sha256(PNG).hexdigest()
    assert evidence["man-hinh.png"].kind == Evidence.Kind.IMAGE
    assert evidence["message.eml"].sha256 == hashlib.sha256(raw).hexdigest()  # the original, byte for byte
    with evidence["nhat-ky.log"].file.open("rb") as stored:
        assert stored.read() == b"GET /shell.php\n"
    custody = CustodyEntry.objects.get(evidence=evidence["man-hinh.png"])
    assert custody.action == CustodyEntry.Action.UPLOADED and custody.actor.username == "mail-intake"
    assert "alpha@example.gov.vn" in custody.note and custody.actor.is_active is False
    assert [a["sha256"] for a in row.attachments][0] == hashlib.sha256(PNG).hexdigest()


def test_a_program_attached_is_refused_and_the_original_is_not_kept(mailbox, focal_a):
    mailbox.deliver(mail(attachments=[("hoa-don.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application", "pdf")]))

    [row] = poll()

    assert row.outcome == Outcome.CREATED
    assert not Evidence.objects.filter(incident=row.incident).exists()
    assert row.attachments[0]["name"] == "hoa-don.pdf" and row.attachments[0]["refused"]


def test_the_same_message_twice_makes_one_incident(mailbox, focal_a):
    raw = mail(message_id="<same@mail.example.gov.vn>")
    mailbox.deliver(raw)
    mailbox.deliver(raw)  # a resend, or the server delivering twice

    rows = poll()

    assert len({r.pk for r in rows}) == 1
    assert Incident.objects.count() == 1 and InboundMessage.objects.count() == 1
    assert mailbox.pending(settings.MAIL_INTAKE_DONE_KEYWORD) == 0


def test_a_worker_that_dies_before_flagging_does_not_report_twice(mailbox, focal_a):
    mailbox.deliver(mail())
    with imap.open_mailbox() as box:  # processed and committed, then the worker died: no flag set
        [head] = list(box.fetch(headers_only=True, mark_seen=False))
        from ungcuu.interop import services

        services.receive_message(raw=imap.fetch_raw(box, head.uid), uid=head.uid)
    assert mailbox.pending(settings.MAIL_INTAKE_DONE_KEYWORD) == 1

    poll()

    assert Incident.objects.count() == 1 and InboundMessage.objects.count() == 1
    assert mailbox.pending(settings.MAIL_INTAKE_DONE_KEYWORD) == 0


def test_a_failure_mid_way_leaves_nothing_written_and_the_message_for_the_next_poll(
    mailbox, focal_a, monkeypatch
):
    mailbox.deliver(mail(attachments=[("man-hinh.png", PNG, "image", "png")]))
    real = evidence_services.receive_file
    calls = []

    def dies_on_the_second_file(**kwargs):
        calls.append(kwargs["uploaded_file"].name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(evidence_services, "receive_file", dies_on_the_second_file)
    result = imap.poll()

    assert result.failed and not result.processed
    assert not Incident.objects.exists() and not InboundMessage.objects.exists()
    assert not Evidence.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]  # the first file was removed
    assert mailbox.pending(settings.MAIL_INTAKE_DONE_KEYWORD) == 1

    monkeypatch.setattr(evidence_services, "receive_file", real)
    [row] = poll()
    assert row.outcome == Outcome.CREATED and Evidence.objects.count() == 2


def test_a_reply_naming_the_reference_is_added_to_that_incident(mailbox, focal_a, manager, org_a):
    incident = reported(manager, org_a, "Mã độc trên máy chủ")
    mailbox.deliver(
        mail(
            subject=f"Re: [TBSC] Received: {incident.reference}",
            text="Đã khôi phục, gửi kèm nhật ký.",
            attachments=[("nhat-ky.log", b"restore ok\n", "text", "plain")],
        )
    )

    [row] = poll()

    assert (row.outcome, row.incident) == (Outcome.THREADED, incident)
    assert Incident.objects.count() == 1
    entry = incident.timeline.get(kind=TimelineEvent.Kind.EMAIL)
    assert entry.message.startswith("Nguyễn Văn Alpha ")  # the name, not the address
    assert entry.message.endswith("\nĐã khôi phục, gửi kèm nhật ký.")
    assert entry.data["sender"] == "alpha@example.gov.vn"
    assert (row.focal_point, row.organization) == (focal_a, org_a)
    assert Evidence.objects.filter(incident=incident, original_name="nhat-ky.log").exists()


def test_a_reference_the_sender_may_not_follow_is_treated_like_no_reference(mailbox, focal_b, manager, org_a):
    """No oracle: an existing incident of another unit and a made-up number give the same outcome."""
    incident = reported(manager, org_a, "Mã độc trên máy chủ")
    mailbox.deliver(
        mail(sender="beta@example.gov.vn", subject=f"Re: {incident.reference}", text="Thêm thông tin")
    )
    mailbox.deliver(mail(sender="beta@example.gov.vn", subject="Re: NB-2026-999999", text="Thêm thông tin"))

    rows = poll()

    assert [(r.outcome, r.reason) for r in rows] == [(Outcome.CREATED, ""), (Outcome.CREATED, "")]
    assert not incident.timeline.filter(kind=TimelineEvent.Kind.EMAIL).exists()
    assert {r.incident.title for r in rows} == {f"{incident.reference}", "NB-2026-999999"}


def test_a_forged_sender_that_fails_dmarc_is_not_matched(mailbox, focal_a, manager, org_a):
    incident = reported(manager, org_a, "Mã độc trên máy chủ")
    failed = {"Authentication-Results": "mx.ungcuu.example.gov.vn; dmarc=fail header.from=example.gov.vn"}
    mailbox.deliver(mail(subject=f"Re: {incident.reference}", headers=failed))

    [row] = poll()

    assert row.outcome == Outcome.CREATED and row.incident != incident and row.organization is None


@pytest.mark.parametrize(
    "headers, reason",
    [
        ({"Auto-Submitted": "auto-replied"}, Reason.AUTO_REPLY),
        ({"X-Autoreply": "yes"}, Reason.AUTO_REPLY),
        ({"Precedence": "bulk"}, Reason.AUTO_REPLY),
        ({"X-Ungcuu-Origin": "ungcuu.example.gov.vn"}, Reason.LOOP),
    ],
)
def test_automatic_mail_is_logged_and_never_becomes_an_incident(mailbox, focal_a, headers, reason):
    mailbox.deliver(mail(subject="Tự động trả lời: [TBSC] Received: NB-2026-000001", headers=headers))

    [row] = poll()

    assert (row.outcome, row.reason, row.incident) == (Outcome.IGNORED, reason, None)
    assert not Incident.objects.exists()


def test_bounces_and_our_own_mail_coming_back_are_ignored(mailbox):
    mailbox.deliver(bounce())
    mailbox.deliver(mail(sender="tbsc@ungcuu.example.gov.vn", subject="vòng lặp"))

    rows = poll()

    assert [(r.outcome, r.reason) for r in rows] == [
        (Outcome.IGNORED, Reason.BOUNCE),
        (Outcome.IGNORED, Reason.LOOP),
    ]
    assert not Incident.objects.exists()


def test_a_mail_bomb_from_one_sender_is_quarantined_after_the_hourly_limit(mailbox, settings):
    settings.MAIL_INTAKE_PER_SENDER_PER_HOUR = 3
    for n in range(5):
        mailbox.deliver(mail(sender="bom@example.com", subject=f"spam {n}"))
    mailbox.deliver(mail(sender="nguoi-khac@example.com", subject="Sự cố thật"))

    rows = poll()

    assert [r.outcome for r in rows] == [Outcome.CREATED] * 3 + [Outcome.QUARANTINED] * 2 + [Outcome.CREATED]
    assert rows[3].reason == Reason.RATE_LIMITED and Incident.objects.count() == 4
    with time_machine.travel("2026-03-02 10:01 +07:00", tick=False):  # an hour later the sender is heard
        mailbox.deliver(mail(sender="bom@example.com", subject="spam again"))
        [row] = poll()
    assert row.outcome == Outcome.CREATED


def test_a_huge_message_is_quarantined_from_its_headers_without_downloading_it(mailbox, settings):
    settings.MAIL_INTAKE_MAX_BYTES = 4000
    mailbox.deliver(
        mail(
            attachments=[("dump.pcap", b"\xd4\xc3\xb2\xa1" + b"\x00" * 20000, "application", "octet-stream")]
        )
    )

    [row] = poll()

    assert (row.outcome, row.reason) == (Outcome.QUARANTINED, Reason.TOO_LARGE)
    assert row.size > 20000 and row.sender and "4000" in row.detail
    assert not Incident.objects.exists()
    assert mailbox.pending(settings.MAIL_INTAKE_DONE_KEYWORD) == 0


def test_a_message_with_nothing_in_it_is_quarantined_and_one_with_only_a_subject_is_reported(mailbox):
    mailbox.deliver(mail(subject="", text=None))
    mailbox.deliver(mail(subject="[TBSC] Máy chủ bị mã hoá", text=None))

    empty, subject_only = poll()

    assert (empty.outcome, empty.reason) == (Outcome.QUARANTINED, Reason.EMPTY)
    assert subject_only.outcome == Outcome.CREATED
    assert subject_only.incident.title == "Máy chủ bị mã hoá" and subject_only.incident.description


def test_html_only_mail_is_read_as_text(mailbox):
    markup = (
        "<html><head><style>p{color:red}</style></head><body><p>Máy chủ <b>web</b> bị tấn công</p>"
        "<script>alert(1)</script><p>IP: 203.0.113.5 &amp; 203.0.113.6</p></body></html>"
    )
    mailbox.deliver(mail(text=None, html=markup))

    [row] = poll()

    assert row.incident.description == "Máy chủ web bị tấn công\nIP: 203.0.113.5 & 203.0.113.6"


def test_windows_1258_text_is_read_as_vietnamese(mailbox):
    text = "Phát hiện mã độc trên máy chủ cổng thông tin điện tử; đã cô lập."
    mailbox.deliver(legacy(windows_1258(text), "windows-1258"))

    [row] = poll()

    assert row.incident.description == text


@pytest.mark.parametrize("charset", ["x-viet-tcvn", "unknown-8bit", "utf-8"])
def test_an_unknown_or_lying_charset_never_stops_intake_and_the_original_is_kept(mailbox, charset):
    body = bytes([0xB8, 0xA9, 0x20, 0xB5, 0xE3, 0x20, 0xAE, 0xBB, 0xB9, 0xFF])  # TCVN3 bytes, invalid UTF-8
    mailbox.deliver(legacy(body, charset))

    [row] = poll()

    assert row.outcome == Outcome.CREATED and row.incident.description
    original = Evidence.objects.get(incident=row.incident, original_name="message.eml")
    with original.file.open("rb") as stored:
        assert body in stored.read()


def test_the_periodic_job_hands_the_poll_to_the_worker(mailbox):
    mailbox.deliver(mail())

    enqueue_mailbox_poll()  # the immediate backend runs the task inline

    assert InboundMessage.objects.get().outcome == Outcome.CREATED


def test_without_a_mailbox_the_periodic_job_does_nothing(settings, db):
    settings.MAIL_INTAKE_HOST = ""

    enqueue_mailbox_poll()

    assert not InboundMessage.objects.exists()


def test_the_job_is_on_the_schedule():
    from ungcuu.core.schedule import SCHEDULE

    assert "ungcuu.interop.jobs.enqueue_mailbox_poll" in {job.function for job in SCHEDULE}


@pytest.mark.parametrize(
    ("body", "charset", "legacy_name"),
    [
        (TCVN3_TEXT, "x-viet-tcvn", "tcvn3"),
        (TCVN3_TEXT, "iso-8859-1", "tcvn3"),
        (VNI_TEXT, "windows-1252", "vni"),
    ],
)
def test_tcvn3_and_vni_mail_becomes_unicode_and_the_bytes_are_kept(mailbox, body, charset, legacy_name):
    mailbox.deliver(legacy(body, charset))

    [row] = poll()

    assert row.incident.description == TEXT
    report = row.incident.reports.get()
    assert report.data["email"]["converted_from"] == [legacy_name]
    original = Evidence.objects.get(incident=row.incident, original_name="message.eml")
    with original.file.open("rb") as stored:
        assert body in stored.read()
