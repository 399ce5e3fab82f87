"""Reading the intake mailbox over IMAP (imap-tools): list what is not yet done, process each message in
its own transaction, then mark it done on the server.

The order is what makes a crash harmless: the row commits first, the IMAP keyword is set after. A worker
that dies between the two leaves a message that is read again next time and recognised by its Message-ID
(services.receive_message returns the existing row), so it is flagged then and never processed twice.
Messages are only flagged, never deleted or moved: the mailbox stays the untouched original.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field

from django.conf import settings
from imap_tools import AND, BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted

from ungcuu.interop import services

logger = logging.getLogger(__name__)


@dataclass
class PollResult:
    processed: list[int] = field(default_factory=list)  # InboundMessage ids, in mailbox order
    failed: list[str] = field(default_factory=list)  # UIDs left for the next poll


def configured() -> bool:
    return bool(settings.MAIL_INTAKE_HOST and settings.MAIL_INTAKE_USER)


def open_mailbox() -> BaseMailBox:
    host, port, timeout = settings.MAIL_INTAKE_HOST, settings.MAIL_INTAKE_PORT, settings.MAIL_INTAKE_TIMEOUT
    mode = settings.MAIL_INTAKE_TLS.lower()
    if mode == "none":
        box: BaseMailBox = MailBoxUnencrypted(host, port, timeout=timeout)
    elif mode == "starttls":
        box = MailBoxStartTls(host, port, timeout=timeout, ssl_context=ssl.create_default_context())
    else:
        box = MailBox(host, port, timeout=timeout, ssl_context=ssl.create_default_context())
    return box.login(settings.MAIL_INTAKE_USER, settings.MAIL_INTAKE_PASSWORD, settings.MAIL_INTAKE_FOLDER)


def poll(mailbox: BaseMailBox | None = None) -> PollResult:
    """One pass over the folder: at most MAIL_INTAKE_BATCH messages not yet marked done."""
    if mailbox is None:
        with open_mailbox() as box:
            return poll(box)
    result = PollResult()
    keyword = settings.MAIL_INTAKE_DONE_KEYWORD
    # Headers only first: the size decides whether the body is downloaded at all (a 2 GB attachment).
    pending = mailbox.fetch(
        AND(no_keyword=keyword),
        headers_only=True,
        mark_seen=False,
        limit=settings.MAIL_INTAKE_BATCH,
        bulk=True,
    )
    for head in list(pending):
        uid = head.uid or ""
        try:
            row = _process(mailbox, head, uid)
        except Exception:  # one poisoned message must not stop the others; it is retried next poll
            logger.exception("mail intake: message UID %s failed", uid)
            result.failed.append(uid)
            continue
        mailbox.flag(uid, keyword, True)  # after commit: a crash before this line means "read it again"
        result.processed.append(row.pk)
    return result


def _process(mailbox: BaseMailBox, head, uid: str):
    folder = settings.MAIL_INTAKE_FOLDER
    if head.size_rfc822 > settings.MAIL_INTAKE_MAX_BYTES:
        message_id = (
            head.obj.get("Message-ID") or f"<oversized-{uid}.{head.size_rfc822}@{settings.MAIL_INTAKE_HOST}>"
        )
        return services.record_oversized(
            message_id=str(message_id).strip(),
            sender=head.from_,
            subject=head.subject,
            size=head.size_rfc822,
            mailbox=folder,
            uid=uid,
        )
    return services.receive_message(raw=fetch_raw(mailbox, uid), mailbox=folder, uid=uid)


def fetch_raw(mailbox: BaseMailBox, uid: str) -> bytes:
    """The message exactly as stored (BODY.PEEK leaves \\Seen alone for people reading the box too)."""
    status, data = mailbox.client.uid("FETCH", uid, "(BODY.PEEK[])")
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    raise RuntimeError(f"IMAP FETCH of UID {uid} returned no message ({status})")
