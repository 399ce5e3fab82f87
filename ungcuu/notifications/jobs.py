"""Background work for notifications (django.tasks); thin, idempotent wrappers over delivery."""

from __future__ import annotations

import logging

from django.tasks import task

from ungcuu.notifications import delivery
from ungcuu.notifications.models import Notification

logger = logging.getLogger(__name__)


@task
def deliver_notification(notification_id: int) -> str | None:
    """Send one outbox row; safe to run twice (a sent row is not due any more)."""
    notification = delivery.deliver(notification_id)
    if notification is None:
        return None
    if notification.state == Notification.State.FAILED:
        _schedule_retry(notification)
    return notification.state


@task
def deliver_notifications(notification_ids: list[int]) -> int:
    """Send a transaction's outbox rows, one after the other (one job per report instead of one per
    e-mail, issue 18); returns how many were sent. A row that fails is retried on its own schedule, and
    one whose attempt raises is left to the sweep, as a lost job's rows are."""
    sent = 0
    for pk in notification_ids:
        try:
            state = deliver_notification.call(pk)
        except Exception:  # noqa: BLE001 (the other rows must still go; this one stays due)
            logger.exception("notification %s: delivery job failed", pk)
            continue
        sent += state == Notification.State.SENT
    return sent


def _schedule_retry(notification: Notification) -> None:
    # A backend that can defer (django-tasks-db, RQ) runs the retry on time by itself; on others the row
    # waits for the sweep (`manage.py deliver_notifications`).
    if deliver_notification.get_backend().supports_defer:
        deliver_notification.using(run_after=notification.next_attempt_at).enqueue(notification.pk)
