"""A write that meets a busy database is tried again, or the person keeps what they typed.

With SQLite in IMMEDIATE mode a write waits for the lock up to the busy timeout (settings); only a longer
queue gets "database is locked". PostgreSQL's equivalents are a lock timeout, a deadlock or a
serialization failure. Each is safe to run again when the whole write was one atomic block that rolled
back: services schedule their side effects with on_commit, so a rolled-back attempt sent nothing.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, connection

log = logging.getLogger(__name__)

# PostgreSQL SQLSTATEs of "try again": serialization_failure, deadlock_detected, lock_not_available.
RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def is_busy(exc: BaseException) -> bool:
    """True for the database's "busy, try again" errors, not for broken SQL or a lost server."""
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text


def retry_on_busy[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Decorate an atomic service: on a busy database run it again (DB_BUSY_RETRIES times, short pauses).

    Only when the attempt rolled back cleanly (its own transaction or savepoint), so the caller's
    transaction, if any, is still usable.
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(settings.DB_BUSY_RETRIES):
            try:
                return function(*args, **kwargs)
            except OperationalError as exc:
                if not is_busy(exc) or connection.needs_rollback:
                    raise
                log.warning("%s: database busy (%s), attempt %s", function.__qualname__, exc, attempt + 1)
                time.sleep(0.2 * (attempt + 1))
        return function(*args, **kwargs)

    return wrapper


def analyze() -> bool:
    """SQLite: gather the planner's statistics again (`ANALYZE`); PostgreSQL's autovacuum does it there.

    Without statistics SQLite guessed its plans (statistics page 53 s at 20,000 incidents, 0.9 s after);
    with statistics from when the database was small it keeps the plans of a small database. About a second
    at 100,000 incidents, holding the write lock meanwhile (writers wait within the busy timeout), once a
    day from the scheduler. Returns whether it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
