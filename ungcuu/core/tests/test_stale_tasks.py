"""Tasks left RUNNING by a dead worker go back to the queue (or fail after repeated losses)."""

import datetime
import io
import os
import signal
import subprocess
import sys

import pytest
import time_machine
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ungcuu.core import stale_tasks
from ungcuu.core.schedule import SCHEDULE

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
JOB = "ungcuu.notifications.jobs.deliver_notification"  # idempotent; no such row: it does nothing


@pytest.fixture
def dead_worker() -> str:
    """The id of a worker process on this host that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{stale_tasks.worker_id().split(':')[0]}:{process.pid}:deadbeef"


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def running_task(*, workers: list[str], started_at=NOW) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=started_at,
        worker_ids=workers,
        args_kwargs={"args": [0], "kwargs": {}},
        task_path=JOB,
        backend_name="default",
        run_after=NOW - datetime.timedelta(minutes=1),
    )


@pytest.mark.django_db
@time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False)
def test_task_of_a_dead_worker_on_this_host_is_requeued_at_once(dead_worker):
    task = running_task(workers=[dead_worker])

    recovery = stale_tasks.recover_stale_tasks()

    task.refresh_from_db()
    assert recovery.requeued == [str(task.id)] and recovery.failed == []
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None
    assert task.worker_ids == [dead_worker]  # kept: it counts the lost runs


@pytest.mark.django_db
@time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False)
def test_task_of_a_live_worker_or_a_worker_elsewhere_is_left_running():
    alive = running_task(workers=[stale_tasks.worker_id()])  # this very process
    elsewhere = running_task(workers=["other-host:12345:abcdefgh"])
    foreign_id = running_task(workers=["Xy7randomidfromplaindbworker"])

    recovery = stale_tasks.recover_stale_tasks()

    assert recovery.requeued == [] and recovery.failed == []
    for task in (alive, elsewhere, foreign_id):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_task_running_longer_than_the_limit_is_requeued_whoever_ran_it(settings):
    settings.TASK_STALE_AFTER = datetime.timedelta(minutes=30)
    task = running_task(workers=["other-host:12345:abcdefgh"])

    with time_machine.travel(NOW + datetime.timedelta(minutes=29), tick=False):
        assert stale_tasks.recover_stale_tasks().requeued == []
    with time_machine.travel(NOW + datetime.timedelta(minutes=30), tick=False):
        assert stale_tasks.recover_stale_tasks().requeued == [str(task.id)]

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


@pytest.mark.django_db
@time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False)
def test_task_that_lost_its_worker_three_times_is_failed_with_the_reason(dead_worker):
    task = running_task(workers=["h:1:a", "h:2:b", dead_worker])

    recovery = stale_tasks.recover_stale_tasks()

    task.refresh_from_db()
    assert recovery.failed == [str(task.id)] and recovery.requeued == []
    assert task.status == TaskResultStatus.FAILED
    assert task.finished_at == NOW + datetime.timedelta(minutes=2)
    assert task.exception_class_path == "ungcuu.core.stale_tasks.WorkerLost"
    assert "died while running this task 3 times" in task.traceback


@pytest.mark.django_db
@time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False)
def test_recovery_is_idempotent_and_leaves_finished_tasks_alone(dead_worker):
    lost = running_task(workers=[dead_worker])
    done = running_task(workers=[dead_worker])
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)

    first = stale_tasks.recover_stale_tasks()
    second = stale_tasks.recover_stale_tasks()

    assert first.requeued == [str(lost.id)]
    assert second.requeued == [] and second.failed == []
    done.refresh_from_db()
    assert done.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_a_row_changed_between_reading_and_recovering_is_left_alone(dead_worker):
    task = running_task(workers=[dead_worker])
    seen = DBTaskResult.objects.get(pk=task.pk)
    # Another recoverer re-queued it and a live worker claimed it again before we acted.
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=NOW + datetime.timedelta(seconds=5))

    assert stale_tasks._requeue(seen) is False
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # the worker closes connections an open atomic would keep
def test_worker_recovers_lost_tasks_at_start_up_and_runs_them(db_tasks, dead_worker):
    task = running_task(workers=[dead_worker], started_at=datetime.datetime.now(tz=datetime.UTC))

    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2
    assert task.worker_ids[-1].split(":")[1] == str(os.getpid())


def test_worker_id_names_the_host_and_process_and_fits_the_column():
    ident = stale_tasks.worker_id()
    host, pid, _suffix = ident.split(":")
    assert pid == str(os.getpid())
    assert len(ident) <= 64
    assert not stale_tasks.worker_is_dead(ident)


@pytest.mark.django_db
def test_recover_tasks_command_reports_what_it_did_and_the_scheduler_runs_it(dead_worker):
    running_task(workers=[dead_worker])
    out = io.StringIO()

    call_command("recover_tasks", stdout=out)

    assert out.getvalue() == "1 task(s) re-queued, 0 failed\n"
    assert "ungcuu.core.stale_tasks.recover_stale_tasks" in {job.function for job in SCHEDULE}
