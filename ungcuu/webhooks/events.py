"""The one call the services make when something a subscriber may care about happened.

`emit` only schedules: after the caller's transaction commits, a job fans the event out to the
subscriptions (a rolled-back change never fires). Nothing is decided here about who may read what:
that is asked when each delivery is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import models, transaction
from django.utils import timezone

from ungcuu.webhooks import jobs
from ungcuu.webhooks.models import Subscription


def emit(event: str, obj: models.Model) -> None:
    emit_many(event, [obj.pk])


def emit_many(event: str, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(partial(_enqueue, event, ids, timezone.now().isoformat()))


def _enqueue(event: str, ids: list[int], occurred_at: str) -> None:
    # Most installations have no subscription: then one cheap query and no job at all.
    if Subscription.objects.active().exists():
        jobs.fan_out_event.enqueue(event, ids, occurred_at)
