"""Liveness of one installation for monitoring: the database answers, the queue drains, the scheduler ticks.

`/healthz` shows only ages in seconds and ok/failed words: nothing about the data or the configuration.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from ungcuu.core.models import Heartbeat

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"


def beat(name: str, now: datetime.datetime | None = None) -> None:
    """Record that `name` is alive now (one small upsert per scheduler tick)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": now or timezone.now()})


@dataclass
class Health:
    database: str
    oldest_queued_task_seconds: int | None
    scheduler_heartbeat_seconds: int | None
    healthy: bool


def _age(since: datetime.datetime | None, now: datetime.datetime) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds()))


def oldest_ready_task(now: datetime.datetime) -> datetime.datetime | None:
    """Since when the longest-waiting runnable task has waited (None with RQ: Redis is monitored apart)."""
    if settings.TASKS_BACKEND != "db":
        return None
    ready = DBTaskResult.objects.ready()
    waiting = [
        ready.filter(run_after=get_date_max()).order_by("enqueued_at").values_list("enqueued_at").first(),
        ready.exclude(run_after=get_date_max()).order_by("run_after").values_list("run_after").first(),
    ]
    return min((row[0] for row in waiting if row), default=None)


def check(now: datetime.datetime | None = None) -> Health:
    now = now or timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        queued = _age(oldest_ready_task(now), now)
        beat_at = Heartbeat.objects.filter(name=SCHEDULER).values_list("beat_at", flat=True).first()
    except DatabaseError:
        log.exception("health check: database failed")
        return Health("failed", None, None, healthy=False)
    heartbeat = _age(beat_at, now)
    healthy = (queued is None or queued <= settings.HEALTH_MAX_QUEUE_AGE) and (
        heartbeat is not None and heartbeat <= settings.HEALTH_MAX_HEARTBEAT_AGE
    )
    return Health("ok", queued, heartbeat, healthy)


def as_json(health: Health) -> dict:
    return {**asdict(health), "status": "ok" if health.healthy else "failing"}
