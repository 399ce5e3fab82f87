"""Signing a delivery and verifying it as a receiver would (the function the tests' receiver uses).

Header `X-UngCuu-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`, where each v1 is
HMAC-SHA256(secret, f"{t}.".encode() + body). Two v1 values appear while a rotated secret's grace period
runs (the new one first), so a receiver can switch its key at any moment in that window.

A receiver accepts a request only if one v1 matches, `t` is within `tolerance` seconds of its clock, and
the `X-UngCuu-Delivery` id was not seen before within that window (retries of one delivery keep their id
and are signed afresh, so a receiver that already processed it answers 2xx and skips it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-UngCuu-Signature"
DELIVERY_HEADER = "X-UngCuu-Delivery"
EVENT_HEADER = "X-UngCuu-Event"
DEFAULT_TOLERANCE = 300  # seconds; also how long a receiver must remember delivery ids


class SignatureError(ValueError):
    """The request is not one we signed, or not now."""


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets_: list[str], body: bytes, timestamp: int) -> str:
    return ",".join([f"t={timestamp}"] + [f"v1={sign(s, body, timestamp)}" for s in secrets_ if s])


def verify(
    secret: str, body: bytes, header: str, *, tolerance: int = DEFAULT_TOLERANCE, now: float | None = None
) -> int:
    """Check a signature header against the raw body; returns its timestamp or raises SignatureError."""
    timestamp, candidates = _parse(header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = sign(secret, body, timestamp)
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise SignatureError("no matching signature")
    return timestamp


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp, candidates = None, []
    for item in (header or "").split(","):
        key, _sep, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureError("malformed signature header")
    return timestamp, candidates


class ReplayGuard:
    """A receiver's memory of delivery ids seen within the tolerance window (in memory: a real receiver
    keeps it in its own database or cache)."""

    def __init__(self, tolerance: int = DEFAULT_TOLERANCE) -> None:
        self.tolerance = tolerance
        self._seen: dict[str, float] = {}

    def check(self, delivery_id: str, timestamp: int) -> None:
        for key, seen_at in list(self._seen.items()):
            if seen_at < timestamp - 2 * self.tolerance:
                del self._seen[key]
        if delivery_id in self._seen:
            raise SignatureError("delivery already received (replay)")
        self._seen[delivery_id] = timestamp
