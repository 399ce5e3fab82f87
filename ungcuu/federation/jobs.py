"""Background work for federation (django.tasks): deliver the outbox; thin and safe to run twice."""

from __future__ import annotations

from django.tasks import task

from ungcuu.federation import delivery


@task
def deliver_outbox() -> int:
    """Send every message that is due, in order per stream; returns how many were delivered. A repeat
    is harmless: the receiver answers a message id it has applied with "duplicate"."""
    delivered, next_due = delivery.deliver_due()
    if next_due is not None and deliver_outbox.get_backend().supports_defer:
        # The retry runs on time by itself; without a deferring backend the scheduler's sweep picks it up.
        deliver_outbox.using(run_after=next_due).enqueue()
    return delivered


def sweep() -> None:
    """The periodic job (core.schedule): hand the outbox to the worker when something waits in it."""
    if delivery.has_due():
        deliver_outbox.enqueue()
