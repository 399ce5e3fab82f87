"""Who this instance talks to and how a request proves who sent it (HMAC-SHA256 over time and body).

A province has one peer, the national instance, named in its settings; the national instance has one
`Peer` row per province. Both ends of a pair hold the same secret and sign what they send with it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings

from ungcuu.federation.models import Instance, Peer

PEER_HEADER = "X-Ungcuu-Peer"
TIME_HEADER = "X-Ungcuu-Timestamp"
SIGNATURE_HEADER = "X-Ungcuu-Signature"


@dataclass(frozen=True)
class PeerInfo:
    code: str
    name: str
    base_url: str
    secret: str


def is_national() -> bool:
    return settings.FEDERATION_INSTANCE == Instance.NATIONAL


def national() -> PeerInfo | None:
    """The province's national peer, or None while federation is not configured."""
    if is_national() or not (settings.FEDERATION_NATIONAL_URL and settings.FEDERATION_SECRET):
        return None
    return PeerInfo(
        code=settings.FEDERATION_NATIONAL_CODE,
        name=settings.FEDERATION_NATIONAL_NAME,
        base_url=settings.FEDERATION_NATIONAL_URL,
        secret=settings.FEDERATION_SECRET,
    )


def lookup(code: str) -> PeerInfo | None:
    """The peer a code names, as this instance knows it (inactive provinces are unknown)."""
    if not is_national():
        peer = national()
        return peer if peer and hmac.compare_digest(peer.code, code) else None
    row = Peer.objects.filter(code=code, is_active=True).first()
    return PeerInfo(row.code, row.name, row.base_url, row.secret) if row else None


def destinations() -> list[str]:
    """The codes this instance sends to: the national instance, or every active province."""
    if is_national():
        return list(Peer.objects.filter(is_active=True).values_list("code", flat=True))
    peer = national()
    return [peer.code] if peer else []


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def headers(peer: PeerInfo, body: bytes, now: float | None = None) -> dict[str, str]:
    """The headers that authenticate `body` as this instance's, for `peer`."""
    timestamp = str(int(now if now is not None else time.time()))
    return {
        PEER_HEADER: settings.FEDERATION_CODE,
        TIME_HEADER: timestamp,
        SIGNATURE_HEADER: sign(peer.secret, timestamp, body),
        "Content-Type": "application/json",
    }


def verify(
    code: str, timestamp: str, signature: str, body: bytes, now: float | None = None
) -> PeerInfo | None:
    """The sending peer if the signature is its own and recent; None otherwise (one answer for all
    failures: an unknown code and a wrong signature look the same from outside)."""
    peer = lookup(code) if code else None
    if peer is None or not timestamp.isdigit():
        return None
    if abs((now if now is not None else time.time()) - int(timestamp)) > settings.FEDERATION_MAX_SKEW:
        return None
    return peer if hmac.compare_digest(sign(peer.secret, timestamp, body), signature) else None
