"""Writing messages to the outbox, inside the caller's transaction; the worker sends them after commit."""

from __future__ import annotations

import uuid

from django.db import transaction

from ungcuu.federation.jobs import deliver_outbox
from ungcuu.federation.models import OutboxMessage, OutboxStream
from ungcuu.incidents.models import Incident


def incident_stream(reference: str) -> str:
    return f"incident:{reference}"


def put(
    *,
    destination: str,
    stream: str,
    kind: str,
    payload: dict,
    summary: str = "",
    incident: Incident | None = None,
    message_id: uuid.UUID | None = None,
) -> OutboxMessage:
    """Queue one message as the next of its stream; the stream's counter row is locked until commit, so
    two changes of one incident get consecutive numbers in commit order. A `message_id` chosen by the
    caller makes the message unique (the column is): a second one raises IntegrityError."""
    counter, _created = OutboxStream.objects.get_or_create(destination=destination, stream=stream)
    counter = OutboxStream.objects.select_for_update().get(pk=counter.pk)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    message = OutboxMessage.objects.create(
        destination=destination,
        stream=stream,
        seq=counter.last_seq,
        kind=kind,
        payload=payload,
        summary=summary[:300],
        incident=incident,
        **({"message_id": message_id} if message_id is not None else {}),
    )
    transaction.on_commit(deliver_outbox.enqueue)
    return message
