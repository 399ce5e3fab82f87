"""Background work for the intake mailbox (django.tasks): the scheduler enqueues, the worker reads."""

from __future__ import annotations

import logging

from django.tasks import task

from ungcuu.interop import imap

logger = logging.getLogger(__name__)


@task
def read_intake_mailbox() -> int:
    """One poll of the mailbox; safe to run twice or at once (Message-ID is unique). Returns how many
    messages were processed."""
    if not imap.configured():
        return 0
    result = imap.poll()
    if result.failed:
        logger.warning(
            "mail intake: %s message(s) left for the next poll: %s", len(result.failed), result.failed
        )
    return len(result.processed)


def enqueue_mailbox_poll() -> None:
    """The periodic job (core.schedule): hand the poll to the worker, if there is a mailbox to read."""
    if imap.configured():
        read_intake_mailbox.enqueue()
