"""Crash safety with real processes: gunicorn and the task worker are SIGKILLed mid-work and restarted.

The instance has its own database (a SQLite file, or `ungcuu_crash_<pid>` on the PostgreSQL server named
by DATABASE_URL), migrated and seeded in subprocesses, so nothing is shared with pytest's test database.
Clients submit reports with idempotency keys; the web server is killed while they do, the worker while it
sends a mail (a gate in tests/crash/mailbox.py holds the send so the kill lands there, not by timing).
After both restart, the submits whose answers were lost are retried with the same key, and then:
every acknowledged report is stored once, every notification was delivered, and no task is left RUNNING.
Every wait polls a condition with a deadline; nothing sleeps for a guessed time.
"""

from __future__ import annotations

import email
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[2]
REPORTS = 40
CLIENTS = 4
KILL_WEB_AFTER = 12  # acknowledged reports before the web server is killed


@dataclass
class Instance:
    """One running Ứng Cứu: its database, environment, port and the processes serving it."""

    database_url: str
    env: dict[str, str]
    home: Path
    port: int = field(default_factory=lambda: free_port())
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env=self.env, capture_output=True, text=True,
            timeout=180, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}"
        return done.stdout

    def start(self, name: str, argv: list[str]) -> None:
        with (self.home / f"{name}.log").open("ab") as log:
            # Own session, so a SIGKILL to the group takes gunicorn's master and workers down at once.
            self.processes[name] = subprocess.Popen(
                argv, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start_web(self) -> None:
        self.start(
            "web",
            [sys.executable, "-m", "gunicorn", "ungcuu.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--timeout", "60", "--no-control-socket"],
        )  # fmt: skip
        wait_for(lambda: self.get("/api/v1/incidents/") == 200, "gunicorn to serve", self)

    def start_worker(self) -> None:
        argv = [
            sys.executable,
            "manage.py",
            "worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ]
        self.start("worker", argv)

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()  # reaped: a zombie would still look alive to the recovery

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name)

    def request(self, path: str, body: dict | None = None) -> tuple[int, dict] | None:
        """The answer, or None when it was lost (refused, reset, timed out)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Token {self.env['CRASH_TOKEN']}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback http)
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, {}
        except (OSError, ValueError):  # URLError, reset, timeout, a body cut short
            return None

    def get(self, path: str) -> int | None:
        answer = self.request(path)
        return answer[0] if answer else None

    def query(self, sql: str) -> list[tuple]:
        if self.database_url.startswith("sqlite"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///"), timeout=30) as connection:
                return connection.execute(sql).fetchall()
        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql).fetchall()

    def log_tail(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}"
            for log in sorted(self.home.glob("*.log"))
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], what: str, instance: Instance, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n{instance.log_tail()}"
        time.sleep(0.05)


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """A database of its own: a SQLite file, or a fresh PostgreSQL database when the suite runs on one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    server, name = url.rsplit("/", 1)[0], f"ungcuu_crash_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def instance(tmp_path, database_url) -> Iterator[Instance]:
    mailbox = tmp_path / "mailbox"
    for folder in ("started", "tmp", "new"):
        (mailbox / folder).mkdir(parents=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "ungcuu.settings",
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "TASKS_BACKEND": "db",
        "EMAIL_BACKEND": "tests.crash.mailbox.GatedMailbox",
        "CRASH_MAILBOX": str(mailbox),
        "CRASH_MAIL_GATE": str(tmp_path / "gate"),
        # A killed send is due again after 2 s instead of 10 min, so the test need not wait for the lease.
        "UNGCUU_NOTIFICATION_SENDING_LEASE": "2",
    }
    running = Instance(database_url=database_url, env=env, home=tmp_path)
    running.manage("migrate", "--no-input", "-v", "0")
    seed = subprocess.run(
        [sys.executable, "tests/crash/seed.py"], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    seeded = json.loads(seed.stdout)
    env["CRASH_TOKEN"], env["CRASH_ORGANIZATION"] = seeded["token"], str(seeded["organization"])
    yield running
    running.stop_all()


def report(instance: Instance, key: str) -> tuple[int, dict] | None:
    return instance.request(
        "/api/v1/incidents/",
        {
            "title": f"Crash test {key}",
            "description": "Submitted while the server may die.",
            "detected_at": "2026-01-05T08:00:00+07:00",
            "organization": int(instance.env["CRASH_ORGANIZATION"]),
            "idempotency_key": key,
        },
    )


def submit_concurrently(
    instance: Instance, keys: list[str], acknowledged: dict[str, int]
) -> list[threading.Thread]:
    def client(mine: list[str]) -> None:
        for key in mine:
            answer = report(instance, key)
            if answer and 200 <= answer[0] < 300:
                acknowledged[key] = answer[1]["id"]

    threads = [threading.Thread(target=client, args=(keys[i::CLIENTS],)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def retry_until_acknowledged(instance: Instance, key: str) -> int:
    for _attempt in range(50):
        answer = report(instance, key)
        if answer and 200 <= answer[0] < 300:
            return answer[1]["id"]
        time.sleep(0.1)  # the server is busy or restarting; the key makes the retry safe
    raise AssertionError(f"{key} never acknowledged\n{instance.log_tail()}")


def delivered_notification_ids(mailbox: Path) -> set[int]:
    ids = set()
    for path in (mailbox / "new").glob("*.eml"):
        message_id = email.message_from_bytes(path.read_bytes())["Message-ID"]
        ids.add(int(message_id.removeprefix("<notification-").split(".")[0]))
    return ids


def settled(instance: Instance) -> bool:
    """No task waiting or running and every notification sent; runs the scheduler's sweep when idle."""
    open_tasks = instance.query(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
    )[0][0]
    unsent = instance.query("SELECT count(*) FROM notifications_notification WHERE state <> 'sent'")[0][0]
    if open_tasks == 0 and unsent:
        # Rows whose task was never enqueued (web killed after commit) or whose send was killed: the
        # periodic sweep (`deliver_notifications`, every minute under the scheduler) owns them.
        instance.manage("deliver_notifications")
    return open_tasks == 0 and unsent == 0


def test_acknowledged_reports_and_notifications_survive_sigkill_of_web_and_worker(instance):
    gate = Path(instance.env["CRASH_MAIL_GATE"])
    gate.touch()
    instance.start_web()
    instance.start_worker()
    keys = [f"crash-{uuid.uuid4().hex}" for _ in range(REPORTS)]
    acknowledged: dict[str, int] = {}

    # 1. SIGKILL the web server in the middle of concurrent intake.
    threads = submit_concurrently(instance, keys, acknowledged)
    wait_for(lambda: len(acknowledged) >= KILL_WEB_AFTER, "the first acknowledged reports", instance)
    instance.kill("web")
    for thread in threads:
        thread.join(timeout=60)
    assert len(acknowledged) < REPORTS, "the web server died after intake ended; nothing was tested"
    first_answers = dict(acknowledged)

    # 2. SIGKILL the worker while it is sending a mail (held at the gate).
    mailbox = Path(instance.env["CRASH_MAILBOX"])
    wait_for(lambda: any((mailbox / "started").iterdir()), "the worker to start sending", instance)
    running = instance.query("SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")
    instance.kill("worker")
    assert len(running) == 1
    assert (
        instance.query("SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")
        == running
    )

    # 3. Restart both; retry every submit whose answer was lost, with its own key.
    gate.unlink()
    instance.start_web()
    instance.start_worker()
    for key in keys:
        if key not in acknowledged:
            acknowledged[key] = retry_until_acknowledged(instance, key)
    for key in list(first_answers)[:3]:  # a retry of an acknowledged submit returns the same incident
        assert retry_until_acknowledged(instance, key) == first_answers[key]
    wait_for(lambda: settled(instance), "the queue and the outbox to drain", instance, timeout=60)

    stored = instance.query("SELECT idempotency_key, incident_id FROM incidents_incidentreport")
    assert sorted(stored) == sorted(acknowledged.items())  # every report once, the one acknowledged
    assert instance.query("SELECT count(*) FROM incidents_incident")[0][0] == REPORTS
    mails = {
        row[0] for row in instance.query("SELECT id FROM notifications_notification WHERE channel = 'email'")
    }
    assert mails and mails <= delivered_notification_ids(mailbox)
    assert instance.query(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
    ) == [(0,)]
    statuses = dict(instance.query("SELECT id, status FROM django_tasks_database_dbtaskresult"))
    assert statuses[running[0][0]] == "SUCCESSFUL"  # the task killed mid-send was recovered and re-run
