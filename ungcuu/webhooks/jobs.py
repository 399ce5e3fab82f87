"""Background work for webhooks (django.tasks): thin, idempotent wrappers over `delivery`."""

from __future__ import annotations

import datetime

from django.tasks import task

from ungcuu.webhooks import delivery
from ungcuu.webhooks.models import Delivery


@task
def fan_out_event(event: str, object_ids: list[int], occurred_at: str) -> int:
    """One event to every subscription that wants it; safe to run twice (a delivery row is unique)."""
    when = datetime.datetime.fromisoformat(occurred_at)
    created = delivery.fan_out(event, object_ids, when)
    for pk in created:
        deliver_webhook.enqueue(pk)
    return len(created)


@task
def deliver_webhook(delivery_id: int) -> str | None:
    """Send one delivery if it is due; a failure is retried later (deferred run, or the sweep)."""
    row = delivery.deliver(delivery_id)
    if row is None:
        return None
    if row.state == Delivery.State.RETRYING and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=row.next_attempt_at).enqueue(row.pk)
    return row.state
