"""E-mail through Django's default mailer (MAILERS["default"]): a plain-text and an HTML part from the
same templates (notifications/email/message.txt and .html), in NOTIFICATION_EMAIL_LANGUAGE.

The templates add only a frame (greeting, link, how to answer) to the row's subject and body: the row is
already discreet when the recipient may not read the item (services.notify), and the frame never names
the incident. Replies thread back into the intake mailbox (interop): `Reply-To` is the intake address,
and `In-Reply-To`/`References` carry an opaque, signed per-incident id that the intake resolves.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

if TYPE_CHECKING:
    from ungcuu.notifications.models import Notification

THREAD_SALT = "ungcuu.notifications.email.thread"
THREAD_ID = re.compile(r"^<incident-(\d{1,18})\.([0-9a-f]{20})@[^<>\s]+>$")


def send(notification: Notification) -> None:
    """Send one e-mail row; any exception from the mail backend propagates as the failure."""
    prefix = getattr(settings, "NOTIFICATION_SUBJECT_PREFIX", "[TBSC] ")
    text, markup = render(notification)
    message = EmailMultiAlternatives(
        subject=f"{prefix}{notification.subject}",
        body=text,
        to=[notification.to_address],
        reply_to=[settings.MAIL_INTAKE_ADDRESS] if settings.MAIL_INTAKE_ADDRESS else None,
        headers=_headers(notification),
    )
    message.attach_alternative(markup, "text/html")
    if message.send() != 1:
        raise RuntimeError("the mail backend accepted no message")


def render(notification: Notification) -> tuple[str, str]:
    """(plain text, HTML) of one row in the configured e-mail language."""
    context = {"n": notification, "url": _url(notification), "answers_thread": bool(notification.incident_id)}
    with translation.override(settings.NOTIFICATION_EMAIL_LANGUAGE):
        text = render_to_string("notifications/email/message.txt", context)
        markup = render_to_string("notifications/email/message.html", context)
    # The text template's blocks leave blank lines where they are off; mail wants at most one.
    return re.sub(r"\n{3,}", "\n\n", str(text)).strip() + "\n", str(markup)


def _url(notification: Notification) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{notification.link}" if notification.link else ""


def _headers(notification: Notification) -> dict[str, str]:
    headers = {
        # RFC 3834: tells vacation responders not to answer an automatic notice.
        "Auto-Submitted": "auto-generated",
        # Stable across retries, so a mail client can fold the rare duplicate of at-least-once delivery.
        "Message-ID": _message_id(notification),
        # Our own mark: a notice that comes back into the intake mailbox is a loop, never a report.
        "X-Ungcuu-Origin": _domain(),
    }
    if notification.incident_id:
        thread = incident_thread_id(notification.incident_id)
        headers.update({"In-Reply-To": thread, "References": thread})
    return headers


def _domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def _message_id(notification: Notification) -> str:
    return f"<notification-{notification.pk}.{int(notification.created_at.timestamp())}@{_domain()}>"


def _signature(pk: int) -> str:
    return salted_hmac(THREAD_SALT, str(pk), algorithm="sha256").hexdigest()[:20]


def incident_thread_id(pk: int) -> str:
    """The root of an incident's mail thread: says nothing about it (no reference, no title), and only
    this platform can make one, so a reply cannot be steered to an incident by guessing numbers."""
    return f"<incident-{pk}.{_signature(pk)}@{_domain()}>"


def incident_from_thread_id(message_id: str) -> int | None:
    """The incident primary key a thread id of ours names, or None for anything else."""
    found = THREAD_ID.match(message_id.strip())
    if not found or not constant_time_compare(found.group(2), _signature(int(found.group(1)))):
        return None
    return int(found.group(1))
