"""Background work for notifications (django.tasks); thin, idempotent wrappers over delivery."""

from __future__ import annotations

from django.tasks import task

from ungcuu.notifications import delivery
from ungcuu.notifications.models import Notification


@task
def deliver_notification(notification_id: int) -> str | None:
    """Send one outbox row; safe to run twice (a sent row is not due any more)."""
    notification = delivery.deliver(notification_id)
    if notification is None:
        return None
    if notification.state == Notification.State.FAILED:
        _schedule_retry(notification)
    return notification.state


def _schedule_retry(notification: Notification) -> None:
    # A backend that can defer (django-tasks-db, RQ) runs the retry on time by itself; on others the row
    # waits for the sweep (`manage.py deliver_notifications`).
    if deliver_notification.get_backend().supports_defer:
        deliver_notification.using(run_after=notification.next_attempt_at).enqueue(notification.pk)
