"""Done-when of issue 17: a province and the national instance on loopback, each with its own database,
web server (gunicorn) and worker. The province escalates a serious incident and reports progress while
the national instance is down, and is itself killed (SIGKILL) and restarted; once the national instance
is up everything arrives, once and in order; a delivery repeated
after a lost answer and a captured message replayed are both answered "duplicate"; the national side's
request reaches the province as a coordination request.

The databases are SQLite files in a temporary folder (the national one a copy of the province's freshly
migrated file, so migrating costs once), or two databases on the PostgreSQL server named by DATABASE_URL
when the suite runs on PostgreSQL (the national one created from the province's as a template). Every
wait polls a condition with a deadline; nothing sleeps for a guessed time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[2]
SECRET = "loopback-federation-secret-0123456789"
PROGRESS_ENTRIES = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Instance:
    """One running Ứng Cứu (province or national): database, environment, port, processes."""

    name: str
    database_url: str
    home: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, *argv: str) -> str:
        done = subprocess.run(
            [sys.executable, *argv], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=240,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{self.name}: {' '.join(argv)} failed:\n{done.stderr[-3000:]}"
        return done.stdout

    def act(self, *args: str) -> dict:
        return json.loads(self.run("tests/federation/act.py", *args).strip().splitlines()[-1])

    def start(self) -> None:
        log = (self.home / f"{self.name}.log").open("ab")
        bind = f"127.0.0.1:{self.port}"
        web = [sys.executable, "-m", "gunicorn", "ungcuu.wsgi:application", "--bind", bind,
               "--workers", "1", "--threads", "4", "--timeout", "60", "--no-control-socket"]  # fmt: skip
        worker = [
            sys.executable,
            "manage.py",
            "worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ]
        for role, argv in (("web", web), ("worker", worker)):
            self.processes[role] = subprocess.Popen(
                argv, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for(lambda: self.status("/report/") == 200, f"{self.name} to serve", self)

    def stop(self) -> None:
        for role in list(self.processes):
            process = self.processes.pop(role)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def status(self, path: str) -> int | None:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310 (loopback)
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def query(self, sql: str) -> list[tuple]:
        if self.database_url.startswith("sqlite"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///"), timeout=30) as connection:
                return connection.execute(sql).fetchall()
        with psycopg.connect(self.database_url) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def log_tail(self) -> str:
        path = self.home / f"{self.name}.log"
        return f"--- {self.name}\n{path.read_text(errors='replace')[-3000:]}" if path.exists() else ""


def wait_for(condition: Callable[[], object], what: str, *instances: Instance, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out waiting for {what}\n" + "\n".join(i.log_tail() for i in instances)
            )
        time.sleep(0.1)


@pytest.fixture
def databases(tmp_path) -> Iterator[Callable[[str], str]]:
    """`make(name)`: the URL of a new database; the first one is migrated, later ones copy it."""
    url = os.environ.get("DATABASE_URL", "")
    made: list[str] = []

    def make(name: str) -> str:
        if not url.startswith("postgres"):
            path = tmp_path / f"{name}.sqlite3"
            if made:
                shutil.copyfile(made[0].removeprefix("sqlite:///"), path)
            made.append(f"sqlite:///{path}")
            return made[-1]
        server, db = url.rsplit("/", 1)[0], f"ungcuu_fed_{name}_{os.getpid()}"
        template = f"TEMPLATE {made[0].rsplit('/', 1)[1]}" if made else ""
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {db} {template}")
        made.append(f"{server}/{db}")
        return made[-1]

    yield make
    if url.startswith("postgres"):
        with psycopg.connect(f"{url.rsplit('/', 1)[0]}/postgres", autocommit=True) as admin:
            for made_url in made:
                admin.execute(f"DROP DATABASE IF EXISTS {made_url.rsplit('/', 1)[1]} WITH (FORCE)")


def base_env(instance: Instance, **extra: str) -> dict[str, str]:
    return {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PYTEST", "UNGCUU_", "DATABASE"))
        },
        "DJANGO_SETTINGS_MODULE": "ungcuu.settings",
        "PYTHONPATH": str(REPO),
        "UNGCUU_DEMO": "1",
        "DEBUG": "0",
        "DATABASE_URL": instance.database_url,
        "TASKS_BACKEND": "db",
        "MEDIA_ROOT": str(instance.home / f"media-{instance.name}"),
        "UNGCUU_FEDERATION_SECRET": SECRET,
        # A refused connection is tried again every second (production: 5 s growing to 30 min).
        "UNGCUU_FEDERATION_RETRY_BACKOFF": "1",
        "UNGCUU_TWO_FACTOR_REQUIRED": "false",
        **extra,
    }


@pytest.fixture
def pair(tmp_path, databases) -> Iterator[tuple[Instance, Instance]]:
    started = time.monotonic()
    province = Instance("province", databases("province"), tmp_path)
    province.env = base_env(province)  # migrate with a plain environment, then copy for the national side
    province.run("manage.py", "migrate", "--no-input", "-v", "0")
    national = Instance("national", databases("national"), tmp_path)
    national.env = base_env(national, UNGCUU_INSTANCE="national", UNGCUU_FEDERATION_CODE="VN")
    province.env = base_env(
        province,
        UNGCUU_INSTANCE="province",
        UNGCUU_FEDERATION_CODE="NB",
        UNGCUU_REFERENCE_PREFIX="NB",
        UNGCUU_FEDERATION_NATIONAL_URL=national.url,
        UNGCUU_FEDERATION_NATIONAL_CODE="VN",
    )
    province.act("seed-province")
    national.act("seed-national", province.url)
    print(f"set-up (migrate once, copy, seed): {time.monotonic() - started:.1f} s")
    yield province, national
    province.stop()
    national.stop()


def outbox(instance: Instance) -> list[tuple]:
    return instance.query(
        "SELECT seq, kind, state, attempts, last_error, duplicate, message_id, payload, stream"
        " FROM federation_outboxmessage ORDER BY stream, seq"
    )


def replay(national: Instance, row: tuple) -> dict:
    """Post a captured message again, exactly as the province signed it (within the time window)."""
    seq, kind, _state, _attempts, _error, _dup, message_id, payload, stream = row
    envelope = {"message_id": str(message_id), "origin": "NB", "stream": stream, "seq": seq, "kind": kind}
    envelope["payload"] = json.loads(payload) if isinstance(payload, str) else payload
    body = json.dumps(envelope).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(  # noqa: S310 (loopback http)
        national.url + "/api/federation/v1/messages/",
        data=body,
        headers={"X-Ungcuu-Peer": "NB", "X-Ungcuu-Timestamp": stamp, "X-Ungcuu-Signature": signature,
                 "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def test_escalated_incident_arrives_once_in_order_through_an_outage_and_a_request_comes_back(pair):
    province, national = pair
    started = time.monotonic()
    province.start()  # the national instance is down

    # 1. A serious incident is escalated and worked on while the national instance cannot be reached.
    reference = province.act("escalate", str(PROGRESS_ENTRIES))["reference"]
    wait_for(
        lambda: (rows := outbox(province)) and rows[0][2] == "retrying" and rows[0][3] >= 2,
        "the province to retry the unreachable national instance",
        province,
    )
    head, *rest = outbox(province)
    assert "refused" in head[4].lower() or "errno" in head[4].lower()
    assert all(row[2] == "pending" and row[3] == 0 for row in rest)  # later messages wait for the first
    kinds = [row[1] for row in outbox(province)]
    assert kinds == ["incident", "update", "update"] + ["update"] * PROGRESS_ENTRIES  # classified, status, …

    # 2. The province dies (SIGKILL of its web server and worker) with all of it undelivered, the national
    #    instance comes up, the province restarts: the outbox drains in order.
    province.stop()
    national.start()
    province.start()
    wait_for(
        lambda: all(row[2] == "delivered" for row in outbox(province)),
        "the outbox to be delivered",
        province,
        national,
    )

    # 3. A delivery repeated after a lost answer (the province never recorded it), and a captured replay.
    province.query(
        "UPDATE federation_outboxmessage SET state = 'pending'"
        " WHERE seq = (SELECT max(seq) FROM federation_outboxmessage)"
    )
    province.run("manage.py", "federation_deliver")
    assert outbox(province)[-1][2] == "delivered" and outbox(province)[-1][5] in (1, True)
    assert replay(national, outbox(province)[0])["status"] == "duplicate"

    # Exactly once, with its updates in the province's order.
    assert national.query("SELECT reference, severity FROM federation_nationalincident") == [
        (reference, "SERIOUS")
    ]
    updates = national.query("SELECT seq, kind, message FROM federation_nationalupdate ORDER BY id")
    assert [u[0] for u in updates] == list(range(2, 2 + len(updates)))
    assert [u[2] for u in updates if u[1] == "progress"] == [
        f"Tiến độ {n}" for n in range(1, PROGRESS_ENTRIES + 1)
    ]
    assert national.query("SELECT count(*), sum(duplicates) FROM federation_inboxmessage") == [
        (len(kinds), 2)
    ]

    # 4. The national coordinator's request reaches the province as a coordination request.
    national.act("request", reference)
    wait_for(
        lambda: province.query("SELECT count(*) FROM coordination_coordinationrequest")[0][0] == 1,
        "the request to reach the province",
        province,
        national,
    )
    issuer_kind, actions = province.query(
        "SELECT o.kind, r.required_actions FROM coordination_coordinationrequest r"
        " JOIN organizations_organization o ON o.id = r.issuer_id"
    )[0]
    assert (issuer_kind, actions) == ("NATIONAL_COORDINATOR", "Gửi nhật ký máy chủ và mẫu mã độc")
    assert national.query("SELECT state FROM federation_outboxmessage") == [("delivered",)]
    print(
        f"scenario (two instances up, outage, duplicates, request back): {time.monotonic() - started:.1f} s"
    )
