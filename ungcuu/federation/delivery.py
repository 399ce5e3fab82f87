"""Sending the outbox: at least once, in order per stream, with backoff; never given up on a slow peer.

Nothing is locked while a request is in flight (the peer may take seconds, and SQLite would hold every
writer back). Two workers may therefore send the same message twice: the receiver answers a message id it
has applied with "duplicate", so a repeat changes nothing there and is marked delivered here.
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ungcuu.federation import peers
from ungcuu.federation.models import OutboxMessage

logger = logging.getLogger(__name__)
State = OutboxMessage.State
INBOX_PATH = "/api/federation/v1/messages/"
# Answers after which sending again cannot help until a person acts (the message itself is wrong or not
# this sender's to send); anything else (network error, 5xx, 401 while a secret is being rotated, 409
# while an earlier message is missing there) is retried.
REFUSING = {400, 403, 404, 413, 422}

# (url, body, headers, timeout) -> (status, answer text); raises OSError when no answer came.
Transport = Callable[[str, bytes, dict[str, str], float], tuple[int, str]]


def urllib_transport(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (http/https only, from settings)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def retry_backoff() -> list[int]:
    return [int(part) for part in str(settings.FEDERATION_RETRY_BACKOFF).split(",") if part.strip()] or [60]


def envelope(message: OutboxMessage) -> dict:
    return {
        "message_id": str(message.message_id),
        "origin": settings.FEDERATION_CODE,
        "stream": message.stream,
        "seq": message.seq,
        "kind": message.kind,
        "sent_at": timezone.now().isoformat(),
        "payload": message.payload,
    }


def has_due(now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        state__in=[State.PENDING, State.RETRYING], next_attempt_at__lte=now
    ).exists()


def deliver_due(
    now: datetime.datetime | None = None, transport: Transport | None = None
) -> tuple[int, datetime.datetime | None]:
    """Send the head of every stream that is due, then the next ones while they succeed.

    Returns how many were delivered and when the earliest waiting retry falls due (None if none waits).
    """
    transport = transport or urllib_transport
    delivered = 0
    progress = True
    while progress:
        progress = False
        for message in OutboxMessage.objects.filter(destination__in=peers.destinations()).heads():
            if message.state == State.REFUSED or message.next_attempt_at > (now or timezone.now()):
                continue
            if send(message, transport=transport, now=now):
                delivered += 1
                progress = True
    waiting = OutboxMessage.objects.filter(state=State.RETRYING).order_by("next_attempt_at").first()
    return delivered, waiting.next_attempt_at if waiting else None


def send(message: OutboxMessage, *, transport: Transport, now: datetime.datetime | None = None) -> bool:
    """One attempt; records the outcome on the row and returns whether the peer now has the message."""
    peer = peers.lookup(message.destination)
    if peer is None:
        return _failed(message, _unknown_peer(message.destination), now)
    body = json.dumps(envelope(message), cls=DjangoJSONEncoder).encode()
    url = peer.base_url.rstrip("/") + INBOX_PATH
    try:
        status, answer = transport(url, body, peers.headers(peer, body), settings.FEDERATION_TIMEOUT)
    except (OSError, ValueError) as error:  # refused, reset, timed out, unreadable
        return _failed(message, f"{type(error).__name__}: {error}", now)
    if 200 <= status < 300:
        duplicate = _answer(answer).get("status") == "duplicate"
        _record(
            message, state=State.DELIVERED, delivered_at=timezone.now(), last_error="", duplicate=duplicate
        )
        return True
    text = f"HTTP {status}: {_answer(answer).get('detail', answer[:500])}"
    if status in REFUSING:
        _record(message, state=State.REFUSED, last_error=text[:2000])
        logger.warning("federation message %s refused: %s", message.message_id, text)
        return False
    return _failed(message, text, now)


def _unknown_peer(code: str) -> str:
    return f"no federation peer '{code}' is configured"


def _failed(message: OutboxMessage, error: str, now: datetime.datetime | None) -> bool:
    backoff = retry_backoff()
    delay = backoff[min(message.attempts, len(backoff) - 1)]
    next_at = (now or timezone.now()) + datetime.timedelta(seconds=delay)
    _record(message, state=State.RETRYING, last_error=error[:2000], next_attempt_at=next_at)
    logger.info("federation message %s: attempt %s failed: %s", message.message_id, message.attempts, error)
    return False


def _record(message: OutboxMessage, **changes) -> None:
    """Count the attempt and write the outcome, unless another worker has delivered it meanwhile."""
    changes["attempts"] = message.attempts + 1
    for field, value in changes.items():
        setattr(message, field, value)
    OutboxMessage.objects.filter(pk=message.pk).exclude(state=State.DELIVERED).update(**changes)


def _answer(text: str) -> dict:
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
