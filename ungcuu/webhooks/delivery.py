"""Delivering webhooks at least once: fan an event out, claim a delivery briefly, send outside any lock,
log the attempt, retry with exponential backoff, and disable a subscription that keeps failing.

The organisation's right to read the object is asked at each attempt (`access.readable`), never at
subscription time: an incident that became confidential, or a request the organisation no longer sees,
is withheld even if the event was queued when it could.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ungcuu.webhooks import payloads, services, signing, transport
from ungcuu.webhooks.access import readable
from ungcuu.webhooks.models import Attempt, Delivery, Subscription

logger = logging.getLogger(__name__)
State = Delivery.State
SWEEP_BATCH = 200
USER_AGENT = "UngCuu-Webhooks/1"


def backoff(attempt: int) -> datetime.timedelta:
    """Wait before attempt `attempt + 1`: base × factor^(attempt − 1), e.g. 30 s, 2 min, 8 min, 32 min…"""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * settings.WEBHOOK_RETRY_FACTOR ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def fan_out(event: str, object_ids: list[int], occurred_at: datetime.datetime) -> list[int]:
    """Create one delivery per (subscription that wants the event, object); returns the new ids."""
    model = payloads.EVENT_MODELS[event]
    subscriptions = [
        s for s in Subscription.objects.active().select_related("organization") if event in s.events
    ]
    created: list[int] = []
    for obj in model._default_manager.filter(pk__in=object_ids):
        for subscription in subscriptions:
            # Early sifting only (no row for an organisation that cannot read it anyway); the delivery
            # asks again when it is sent.
            if readable(subscription.organization, obj):
                pk = _create(subscription, event, obj, occurred_at)
                if pk:
                    created.append(pk)
    return created


def _create(subscription: Subscription, event: str, obj, occurred_at: datetime.datetime) -> int | None:
    try:
        with transaction.atomic():
            row = Delivery.objects.create(
                subscription=subscription,
                event=event,
                object_type=obj._meta.label_lower,
                object_id=obj.pk,
                occurred_at=occurred_at,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:  # the fan-out ran twice: the first made it
        return None
    return row.pk


def deliver(
    delivery_id: int, *, now: datetime.datetime | None = None, resolve: transport.Resolver | None = None
) -> Delivery | None:
    """One attempt of one delivery if it is due; returns it with its new state, or None. `resolve`
    replaces the system's DNS lookup (tests)."""
    now = now or timezone.now()
    row = _claim(delivery_id, now)
    if row is None:
        return None
    subscription = row.subscription
    if not subscription.is_active or not subscription.organization.is_active:
        return _finish(row, state=State.CANCELLED)
    obj = payloads.EVENT_MODELS[row.event]._default_manager.filter(pk=row.object_id).first()
    if obj is None or not readable(subscription.organization, obj):
        return _finish(row, state=State.WITHHELD)
    body = payloads.body(row, obj)
    attempt = _send(row, subscription, body, now, resolve)
    if attempt.succeeded:
        Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return _finish(row, state=State.DELIVERED, delivered_at=timezone.now())
    return _failed(row, subscription, now)


@transaction.atomic
def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | None:
    row = Delivery.objects.select_for_update().filter(_due(now), pk=delivery_id).first()
    if row is None:
        return None
    lease = datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT * 2 + 60)
    row.state, row.attempts, row.next_attempt_at = State.SENDING, row.attempts + 1, now + lease
    row.save(update_fields=["state", "attempts", "next_attempt_at"])
    return Delivery.objects.select_related("subscription__organization").get(pk=row.pk)


def _due(now: datetime.datetime) -> Q:
    # A SENDING row whose lease ran out belongs to a worker that died mid-send: it is due again.
    waiting = Q(state__in=[State.PENDING, State.RETRYING, State.SENDING])
    return waiting & Q(next_attempt_at__lte=now)


def _send(
    row: Delivery,
    subscription: Subscription,
    body: bytes,
    now: datetime.datetime,
    resolve: transport.Resolver | None = None,
) -> Attempt:
    keys = [subscription.secret]
    if subscription.previous_secret and (subscription.previous_secret_expires_at or now) > now:
        keys.append(subscription.previous_secret)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.signature_header(keys, body, int(time.time())),
        signing.DELIVERY_HEADER: str(row.uuid),
        signing.EVENT_HEADER: row.event,
    }
    attempt = Attempt(delivery=row, number=row.attempts, started_at=timezone.now())
    started = time.monotonic()
    try:
        answer = transport.post(
            subscription.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT, resolve=resolve
        )
    except (OSError, transport.TargetRefused, ValueError) as error:  # http.client errors are OSErrors
        attempt.error = f"{type(error).__name__}: {error}"[:500]
        attempt.duration_ms = int((time.monotonic() - started) * 1000)
    else:
        attempt.status_code, attempt.duration_ms = answer.status, answer.duration_ms
        attempt.response_excerpt = answer.excerpt[:500]
    attempt.save()
    return attempt


def _failed(row: Delivery, subscription: Subscription, now: datetime.datetime) -> Delivery:
    Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    subscription.refresh_from_db(fields=["consecutive_failures", "is_active"])
    if row.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        _finish(row, state=State.FAILED)
    else:
        _finish(row, state=State.RETRYING, next_attempt_at=now + backoff(row.attempts))
    if subscription.is_active and subscription.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
        services.disable_after_failures(subscription)
        row.refresh_from_db()
    return row


def _finish(row: Delivery, **changes) -> Delivery:
    """Write the outcome only while the claim is still ours (same attempt, still sending)."""
    changes.setdefault("next_attempt_at", None)
    for field, value in changes.items():
        setattr(row, field, value)
    Delivery.objects.filter(pk=row.pk, state=State.SENDING, attempts=row.attempts).update(**changes)
    return row


def retry_due(now: datetime.datetime | None = None) -> int:
    """The sweep: try every delivery that is due; returns how many were tried."""
    due = Delivery.objects.filter(_due(now or timezone.now())).order_by("next_attempt_at", "pk")
    ids = list(due.values_list("pk", flat=True)[:SWEEP_BATCH])
    return sum(1 for pk in ids if deliver(pk, now=now) is not None)
