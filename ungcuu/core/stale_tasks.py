"""Recovering background tasks whose worker died: django-tasks-db leaves them RUNNING forever.

A worker claims a task row by marking it RUNNING and appending its id to `worker_ids`; only that worker
ever finishes the row, so a SIGKILL, an OOM kill or a power cut leaves it RUNNING with nobody to run it.
A running task is stale when its worker is known to be dead (an id from `worker_id()` names this host and
a process that no longer exists) or when it has run longer than TASK_STALE_AFTER. Every job is idempotent
(STYLE rule 7), so a stale task goes back to the queue; one that has already lost MAX_LOST_RUNS workers is
marked failed with the reason instead, so a job that kills its worker cannot loop forever.

`recover_stale_tasks()` is idempotent and race-safe (each row changes by compare-and-set on its claim), so
the worker runs it at start-up, the scheduler every few minutes, and several at once do no harm.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from dataclasses import dataclass, field

from django.conf import settings
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

MAX_LOST_RUNS = 3  # a task whose worker died this many times is failed, not re-queued
DEFAULT_STALE_AFTER = datetime.timedelta(hours=1)


class WorkerLost(Exception):  # noqa: N818 (the name is what an operator reads in the task's error)
    """Recorded as the error of a task given up after its workers died while running it."""


@dataclass
class Recovery:
    """What one pass did: ids of the task rows put back in the queue and of those marked failed."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def worker_id() -> str:
    """A worker id that says where the worker runs (host and pid), so its death can be seen (≤ 64 chars)."""
    return f"{_host()}:{os.getpid()}:{get_random_string(8)}"


def stale_after() -> datetime.timedelta:
    return getattr(settings, "TASK_STALE_AFTER", DEFAULT_STALE_AFTER)


def recover_stale_tasks(*, now: datetime.datetime | None = None) -> Recovery:
    """Re-queue (or, after MAX_LOST_RUNS, fail) every RUNNING task whose worker is dead or overdue."""
    now = now or timezone.now()
    recovery = Recovery()
    running = DBTaskResult.objects.running().only("id", "started_at", "worker_ids", "task_path")
    for row in running:
        if not is_stale(row, now=now):
            continue
        if len(row.worker_ids) >= MAX_LOST_RUNS:
            if _fail(row, now):
                recovery.failed.append(str(row.id))
        elif _requeue(row):
            recovery.requeued.append(str(row.id))
    return recovery


def is_stale(row: DBTaskResult, *, now: datetime.datetime) -> bool:
    """True when the row's current worker is a dead process on this host, or it has run too long."""
    if row.started_at is None or row.started_at <= now - stale_after():
        return True
    return bool(row.worker_ids) and worker_is_dead(row.worker_ids[-1])


def worker_is_dead(worker: str) -> bool:
    """Only ids minted by `worker_id()` on this host can be judged; any other id counts as alive."""
    host, _sep, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != _host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def _requeue(row: DBTaskResult) -> bool:
    logger.warning("task %s (%s): worker %s lost it; re-queued", row.id, row.task_path, row.worker_ids[-1:])
    # `worker_ids` is kept: its length counts the runs that were lost.
    return _claimed_as_seen(row).update(status=TaskResultStatus.READY, started_at=None) == 1


def _fail(row: DBTaskResult, now: datetime.datetime) -> bool:
    reason = (
        f"{WorkerLost.__name__}: the worker died while running this task {len(row.worker_ids)} times "
        f"(workers {', '.join(row.worker_ids)}); given up so it cannot kill more workers."
    )
    logger.error("task %s (%s): %s", row.id, row.task_path, reason)
    return (
        _claimed_as_seen(row).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=reason,
        )
        == 1
    )


def _claimed_as_seen(row: DBTaskResult):
    # Compare-and-set: a row that finished, or was recovered or re-claimed meanwhile, is left alone.
    return DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)


def _host() -> str:
    return socket.gethostname()[:40]
