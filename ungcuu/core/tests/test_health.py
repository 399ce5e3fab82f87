"""/healthz: no login, 200 only when the database answers, the queue drains and the scheduler ticks."""

import datetime

import pytest
import time_machine
from django.db import OperationalError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ungcuu.core import health
from ungcuu.core.management.commands import scheduler
from ungcuu.core.models import Heartbeat
from ungcuu.notifications.jobs import deliver_notification

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
KEYS = {"status", "healthy", "database", "oldest_queued_task_seconds", "scheduler_heartbeat_seconds"}


@pytest.fixture
def db_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "db"


def get(client_for):
    response = client_for().get(reverse("core:healthz"))
    return response.status_code, response.json()


def test_healthy_after_a_scheduler_tick_without_login(client_for, db_queue):
    with time_machine.travel(NOW, tick=False):
        scheduler.run_tick({})
    with time_machine.travel(NOW + datetime.timedelta(seconds=42), tick=False):
        status, body = get(client_for)

    assert status == 200 and set(body) == KEYS
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["scheduler_heartbeat_seconds"] == 42 and body["oldest_queued_task_seconds"] is None


def test_a_silent_scheduler_is_503(client_for, db_queue, settings):
    with time_machine.travel(NOW, tick=False):
        health.beat(health.SCHEDULER)
    late = NOW + datetime.timedelta(seconds=settings.HEALTH_MAX_HEARTBEAT_AGE + 1)
    with time_machine.travel(late, tick=False):
        status, body = get(client_for)

    assert status == 503 and body["status"] == "failing" and body["database"] == "ok"
    Heartbeat.objects.all().delete()  # a scheduler that never started
    assert get(client_for) == (503, {**body, "scheduler_heartbeat_seconds": None})


def test_a_task_waiting_too_long_is_503_and_its_age_shown(client_for, db_queue, settings):
    with time_machine.travel(NOW, tick=False):
        deliver_notification.enqueue(12345)
    later = NOW + datetime.timedelta(seconds=settings.HEALTH_MAX_QUEUE_AGE + 5)
    with time_machine.travel(later, tick=False):
        health.beat(health.SCHEDULER)
        status, body = get(client_for)

    assert DBTaskResult.objects.count() == 1
    assert status == 503 and body["oldest_queued_task_seconds"] == settings.HEALTH_MAX_QUEUE_AGE + 5


def test_a_database_failure_is_503_without_details(client_for, monkeypatch):
    def broken(now):
        raise OperationalError("database is locked: /secret/path/db.sqlite3")

    monkeypatch.setattr(health, "oldest_ready_task", broken)
    status, body = get(client_for)

    assert status == 503 and body["database"] == "failed" and "secret" not in str(body)
