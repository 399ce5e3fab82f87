"""E-mail through Django's default mailer (MAILERS["default"])."""

from __future__ import annotations

from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage

if TYPE_CHECKING:
    from ungcuu.notifications.models import Notification


def send(notification: Notification) -> None:
    """Send one e-mail row; any exception from the mail backend propagates as the failure."""
    prefix = getattr(settings, "NOTIFICATION_SUBJECT_PREFIX", "[TBSC] ")
    message = EmailMessage(
        subject=f"{prefix}{notification.subject}",
        body=_body(notification),
        to=[notification.to_address],
        headers={
            # RFC 3834: tells vacation responders not to answer an automatic notice.
            "Auto-Submitted": "auto-generated",
            # Stable across retries, so a mail client can fold the rare duplicate of at-least-once delivery.
            "Message-ID": _message_id(notification),
        },
    )
    if message.send() != 1:
        raise RuntimeError("the mail backend accepted no message")


def _body(notification: Notification) -> str:
    if not notification.link:
        return notification.body
    return f"{notification.body}\n\n{settings.SITE_URL.rstrip('/')}{notification.link}"


def _message_id(notification: Notification) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification-{notification.pk}.{int(notification.created_at.timestamp())}@{domain}>"
