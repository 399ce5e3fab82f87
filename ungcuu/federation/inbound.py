"""Receiving a peer's message: once per message id, in order per stream, only what this side accepts.

`receive` runs in one transaction: the message is applied and recorded in the inbox together, so a crash
in between leaves neither, and the sender's retry applies it then.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ungcuu.federation import apply_national, apply_province, peers
from ungcuu.federation.errors import OutOfOrder, Refused
from ungcuu.federation.models import DOWNWARD, UPWARD, InboxMessage, MessageKind, Stream
from ungcuu.federation.peers import PeerInfo


@dataclass(frozen=True)
class Envelope:
    message_id: uuid.UUID
    origin: str
    stream: str
    seq: int
    kind: str
    payload: dict


def parse(data: object) -> Envelope:
    """The envelope's shape, or a ValidationError naming each wrong field (400)."""
    if not isinstance(data, dict):
        raise ValidationError(_("The message must be a JSON object."))
    errors: dict[str, list[str]] = {}
    try:
        message_id = uuid.UUID(str(data.get("message_id", "")))
    except ValueError:
        errors["message_id"] = [_("A UUID is required.")]
    for name in ("origin", "stream"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > 120:
            errors[name] = [_("A non-empty text of at most 120 characters is required.")]
    raw_seq = data.get("seq")
    seq = raw_seq if isinstance(raw_seq, int) and not isinstance(raw_seq, bool) else 0
    if not 1 <= seq < 2**31:  # the column's range: a bigger number is bad input, not a database error
        errors["seq"] = [_("A positive whole number is required.")]
    if data.get("kind") not in MessageKind.values:
        errors["kind"] = [_("Unknown message kind.")]
    if not isinstance(data.get("payload"), dict):
        errors["payload"] = [_("A JSON object is required.")]
    if errors:
        raise ValidationError(errors)
    return Envelope(message_id, data["origin"], data["stream"], seq, data["kind"], data["payload"])


def accepted_kinds() -> set[str]:
    return {str(kind) for kind in (UPWARD if peers.is_national() else DOWNWARD)}


@transaction.atomic
def receive(peer: PeerInfo, envelope: Envelope) -> str:
    """Apply the message once; returns "applied" or "duplicate"."""
    if envelope.origin != peer.code:
        raise Refused(_("The message names another sender than the one that signed it."))
    if envelope.kind not in accepted_kinds():
        raise ValidationError({"kind": [_("This instance does not accept this kind of message.")]})
    # The stream's row lock first: two deliveries of one message at once then see each other's result.
    position, _created = Stream.objects.get_or_create(sender=peer.code, stream=envelope.stream)
    position = Stream.objects.select_for_update().get(pk=position.pk)
    seen = InboxMessage.objects.filter(sender=peer.code, message_id=envelope.message_id)
    if (repeat := seen.first()) is not None:
        repeat.duplicates += 1
        repeat.save(update_fields=["duplicates"])
        return "duplicate"
    if envelope.seq <= position.last_seq:
        raise Refused(_("This sequence number was used by another message of the stream."))
    if envelope.seq != position.last_seq + 1:
        raise OutOfOrder(position.last_seq + 1)
    summary, link = apply(peer, envelope)
    position.last_seq = envelope.seq
    position.save(update_fields=["last_seq"])
    InboxMessage.objects.create(
        sender=peer.code,
        message_id=envelope.message_id,
        stream=envelope.stream,
        seq=envelope.seq,
        kind=envelope.kind,
        summary=summary[:300],
        payload=_stored(envelope.payload),
        link=link,
    )
    return "applied"


def apply(peer: PeerInfo, envelope: Envelope) -> tuple[str, str]:
    """Hand the message to the side's services; returns a summary and a link to what it became."""
    handlers = {**apply_national.HANDLERS, **apply_province.HANDLERS}
    return handlers[MessageKind(envelope.kind)](peer, envelope)


def _stored(payload: dict) -> dict:
    """The inbox keeps the message without a file's content (that is stored once, as the file)."""
    if "content" in payload:
        return {**payload, "content": f"<{len(payload['content'])} base64 characters>"}
    return payload
