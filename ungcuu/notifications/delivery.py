"""Delivering outbox rows at least once: claim briefly, send outside any lock, record the outcome.

A row is claimed ("sending", attempts + 1, a lease in `next_attempt_at`) in a short transaction and the
message is sent after that commits, so no lock is held while a mail server is slow. A worker that dies
mid-send leaves the claim to expire; the row is then due again (a possible duplicate, never a loss).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.notifications.channels import CHANNELS
from ungcuu.notifications.models import Notification, retry_backoff, sending_lease

logger = logging.getLogger(__name__)
State = Notification.State
SWEEP_BATCH = 200


def deliver(notification_id: int, *, now: datetime.datetime | None = None) -> Notification | None:
    """Try to send one row if it is due; returns it with its new state, or None if it was not due."""
    now = now or timezone.now()
    notification = _claim(notification_id, now)
    if notification is None:
        return None
    try:
        CHANNELS[notification.channel](notification)
    except Exception as error:
        logger.warning(
            "notification %s: attempt %s failed: %s", notification.pk, notification.attempts, error
        )
        _record_failure(notification, error, now)
    else:
        _record(notification, state=State.SENT, sent_at=timezone.now(), next_attempt_at=None)
    return notification


def retry_due(now: datetime.datetime | None = None) -> int:
    """The sweep: deliver every row that is due (new, failed and waiting, or abandoned); returns how many."""
    due = Notification.objects.due(now or timezone.now()).order_by("pk")
    ids = list(due.values_list("pk", flat=True)[:SWEEP_BATCH])
    # Without an explicit `now` each row is claimed at its own time, so a long sweep cannot hand out a
    # lease that has already expired.
    return sum(1 for pk in ids if deliver(pk, now=now) is not None)


def max_attempts() -> int:
    return len(retry_backoff()) + 1


@transaction.atomic
def _claim(notification_id: int, now: datetime.datetime) -> Notification | None:
    row = Notification.objects.select_for_update().due(now).filter(pk=notification_id).first()
    if row is None:
        return None
    if row.state == State.SENDING and row.attempts >= max_attempts():
        # The last allowed attempt never reported back; retrying a message that kills workers would loop.
        row.state, row.next_attempt_at = State.DEAD, None
        row.last_error = row.last_error or _("The last attempt did not finish.")
        row.save(update_fields=["state", "next_attempt_at", "last_error"])
        return None
    row.state, row.attempts, row.next_attempt_at = State.SENDING, row.attempts + 1, now + sending_lease()
    row.save(update_fields=["state", "attempts", "next_attempt_at"])
    return row


def _record_failure(notification: Notification, error: Exception, now: datetime.datetime) -> None:
    backoff = retry_backoff()
    error_text = f"{type(error).__name__}: {error}"[:2000]
    if notification.attempts > len(backoff):
        _record(notification, state=State.DEAD, last_error=error_text, next_attempt_at=None)
        return
    delay = datetime.timedelta(seconds=backoff[notification.attempts - 1])
    _record(notification, state=State.FAILED, last_error=error_text, next_attempt_at=now + delay)


def _record(notification: Notification, **changes) -> None:
    """Write the outcome only while the claim is still ours (same attempt, still sending)."""
    for field, value in changes.items():
        setattr(notification, field, value)
    Notification.objects.filter(
        pk=notification.pk, state=State.SENDING, attempts=notification.attempts
    ).update(**changes)
