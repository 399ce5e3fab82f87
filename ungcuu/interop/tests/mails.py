"""Messages as mail programs and mail servers write them, built with the standard library."""

from __future__ import annotations

import datetime
import unicodedata
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def mail(
    *,
    sender="alpha@example.gov.vn",
    subject="[TBSC] Tấn công thay đổi giao diện cổng Alpha",
    text="Sáng nay cổng thông tin bị thay giao diện.\nĐã ngắt kết nối máy chủ.",
    html: str | None = None,
    attachments=(),
    headers=None,
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Nguyễn Văn Alpha <{sender}>" if sender else "Không Địa Chỉ"
    message["To"] = "tbsc@ungcuu.example.gov.vn"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC))
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.gov.vn")
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for name, data, maintype, subtype in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes(policy=policy.SMTP)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: â/ê/ô/ơ/ư/đ precomposed, the tone as a combining mark."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def legacy(
    body: bytes, charset: str, *, subject="[TBSC] Su co may chu", sender="legacy@example.gov.vn"
) -> bytes:
    """A message from an old mail program: an 8-bit body in a legacy charset, declared as `charset`."""
    head = (
        f"From: {sender}\r\nTo: tbsc@ungcuu.example.gov.vn\r\nSubject: {subject}\r\n"
        f"Message-ID: {make_msgid(domain='legacy.example.gov.vn')}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: text/plain; charset="{charset}"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
    )
    return head.encode("ascii") + body


def bounce() -> bytes:
    """A delivery status notification (RFC 3464) as Postfix sends it."""
    return (
        b"From: MAILER-DAEMON@mail.example.gov.vn (Mail Delivery System)\r\n"
        b"To: tbsc@ungcuu.example.gov.vn\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"Message-ID: <20260302083000.DSN1@mail.example.gov.vn>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message"
        b" could not be delivered.\r\n"
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.gov.vn\r\n"
        b"\r\nFinal-Recipient: rfc822; nobody@example.gov.vn\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--B--\r\n"
    )
