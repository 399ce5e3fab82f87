"""E-mail out over real SMTP (aiosmtpd), and a reply to it threaded back in through dovecot."""

from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
import time_machine
from django.utils import translation

from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.services import assign_handler
from ungcuu.incidents.tests.factories import reported
from ungcuu.interop import imap
from ungcuu.interop.models import InboundMessage
from ungcuu.notifications import services
from ungcuu.notifications.channels.email import incident_from_thread_id, incident_thread_id, render
from ungcuu.notifications.delivery import deliver
from ungcuu.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-03-02 09:00 +07:00", tick=False):
        yield


def _sent(smtp):
    [(mail_from, rcpt_tos, _raw)] = smtp.received
    [message] = smtp.messages()
    return mail_from, rcpt_tos, message


def _queue(incident, **extra):
    [row] = services.notify(
        event="status",
        subject=f"Cập nhật {incident.reference}",
        body="Sự cố đã được xác minh.\nĐơn vị tiếp tục theo dõi.",
        addresses=["daumoi@example.gov.vn"],
        incident=incident,
        link=f"/incidents/{incident.pk}/",
        **extra,
    )
    return row


def test_a_notification_leaves_over_smtp_with_a_text_and_an_html_part(
    mailbox, smtp, manager, org_a, settings
):
    incident = reported(manager, org_a, "Mã độc trên máy chủ")
    row = _queue(incident)

    deliver(row.pk)

    mail_from, rcpt_tos, message = _sent(smtp)
    assert rcpt_tos == ["daumoi@example.gov.vn"] and mail_from == "noreply@ungcuu.example.gov.vn"
    assert message["Subject"] == f"[TBSC] Cập nhật {incident.reference}"
    text = message.get_body(("plain",)).get_content()
    markup = message.get_body(("html",)).get_content()
    assert "Sự cố đã được xác minh." in text and "<" not in text
    assert "Sự cố đã được xác minh.<br>Đơn vị tiếp tục theo dõi." in markup
    assert f'href="https://ungcuu.example.gov.vn/incidents/{incident.pk}/"' in markup
    assert message["Message-ID"].startswith(f"<notification-{row.pk}.")
    assert message["In-Reply-To"] == message["References"] == incident_thread_id(incident.pk)
    assert message["Reply-To"] == "tbsc@ungcuu.example.gov.vn"
    assert message["Auto-Submitted"] == "auto-generated"
    Notification.objects.get(pk=row.pk, state=Notification.State.SENT)


def test_the_frame_is_vietnamese_by_default_and_english_when_configured(db, manager, org_a, settings):
    row = _queue(reported(manager, org_a, "Mã độc"))

    settings.NOTIFICATION_EMAIL_LANGUAGE = "vi"
    vi_text, vi_html = render(row)
    settings.NOTIFICATION_EMAIL_LANGUAGE = "en"
    en_text, en_html = render(row)

    assert "Mở trên hệ thống:" in vi_text and 'lang="vi"' in vi_html and "Mở trên hệ thống" in vi_html
    assert "Open it on the platform:" in en_text and 'lang="en"' in en_html
    assert "Sự cố đã được xác minh." in en_text  # the item's own text is not re-translated
    assert translation.get_language() != "xx"  # rendering leaves the active language alone


def test_a_confidential_incident_mails_only_the_discreet_text_in_both_parts(
    smtp, manager, org_a, coordinator, settings
):
    incident = reported(manager, org_a, "Rò rỉ dữ liệu hồ sơ", confidential=True)
    assign_handler(actor=coordinator, incident=incident)
    row = _queue(incident, confidential=incident)

    deliver(row.pk)

    _from, _to, message = _sent(smtp)
    whole = message.as_string()
    for secret in (incident.reference, "Rò rỉ", "xác minh"):
        assert secret not in message["Subject"]
        assert secret not in message.get_body(("plain",)).get_content()
        assert secret not in message.get_body(("html",)).get_content()
    assert incident.reference not in whole


def test_a_thread_id_cannot_be_forged_by_guessing_a_number(db):
    assert incident_from_thread_id(incident_thread_id(42)) == 42
    forged = incident_thread_id(43).replace("incident-43.", "incident-42.")
    assert incident_from_thread_id(forged) is None
    assert incident_from_thread_id("<notification-1.2@x>") is None


def test_a_reply_to_a_sent_notification_threads_back_into_the_incident(
    mailbox, smtp, manager, org_a, focal_a
):
    """The whole loop: SMTP out, the recipient answers (subject kept or not), IMAP in, same incident."""
    incident = reported(manager, org_a, "Mã độc trên máy chủ")
    [row] = services.notify(
        event="status",
        subject="Cập nhật",
        body="Đề nghị bổ sung nhật ký.",
        addresses=[focal_a.email],
        incident=incident,
    )
    deliver(row.pk)
    _from, _to, sent = _sent(smtp)

    reply = EmailMessage()
    reply["From"] = f"{focal_a.full_name} <{focal_a.email}>"
    reply["To"] = sent["Reply-To"]
    reply["Subject"] = "Re: " + sent["Subject"]  # "[TBSC] Cập nhật": no reference in it
    reply["Message-ID"] = make_msgid(domain="example.gov.vn")
    reply["In-Reply-To"] = sent["Message-ID"]
    reply["References"] = f"{sent['References']} {sent['Message-ID']}"
    reply.set_content("Gửi bổ sung nhật ký truy cập.")
    mailbox.deliver(reply.as_bytes(policy=policy.SMTP))

    [pk] = imap.poll().processed

    inbound = InboundMessage.objects.get(pk=pk)
    assert (inbound.outcome, inbound.incident) == (InboundMessage.Outcome.THREADED, incident)
    assert Incident.objects.count() == 1
    assert incident.timeline.get(kind=TimelineEvent.Kind.EMAIL).message.endswith(
        "\nGửi bổ sung nhật ký truy cập."
    )


def test_our_notification_delivered_back_into_the_intake_mailbox_is_a_loop(mailbox, smtp, manager, org_a):
    incident = reported(manager, org_a, "Mã độc")
    deliver(_queue(incident).pk)
    [(_f, _t, raw)] = smtp.received
    mailbox.deliver(raw.replace(b"\n", b"\r\n") if b"\r\n" not in raw else raw)

    [pk] = imap.poll().processed

    inbound = InboundMessage.objects.get(pk=pk)
    assert (inbound.outcome, inbound.reason) == (InboundMessage.Outcome.IGNORED, InboundMessage.Reason.LOOP)
