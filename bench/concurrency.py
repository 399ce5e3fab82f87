"""Concurrent intake against the real production server: refusals and throughput (issue 11).

    .venv/bin/python bench/concurrency.py                      # SQLite, a fresh file in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ungcuu_bench .venv/bin/python bench/concurrency.py

Builds a fresh database (a PostgreSQL database of that name is DROPPED and created again), seeds a unit,
a system and one API user per client, starts gunicorn exactly as `manage.py serve` does on a free loopback
port, then runs CLIENTS threads x SUBMITS POST /api/v1/incidents/ each on a kept-alive connection. It
prints refusals (any non-2xx answer or broken connection), throughput and latency, then checks that every
accepted report is stored once with a unique, gap-free reference. Exit status 1 when anything was refused.
A script, not a timed test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh_database(workdir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg  # only needed for PostgreSQL

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def seed(clients: int) -> dict:
    """Migrate and create a commune, its portal and one responder (with an API token) per client."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connections

    from ungcuu.accounts.models import User
    from ungcuu.accounts.tokens import create_token
    from ungcuu.organizations.models import Kind, Membership, Organization
    from ungcuu.systems import services as system_services

    call_command("migrate", verbosity=0)
    unit = Organization.objects.create(code="PHUONG-HL", name="UBND phường Hoa Lư", kind=Kind.COMMUNE)
    Organization.objects.create(code="SO-KHCN", name="Sở KH&CN", kind=Kind.SPECIALISED_UNIT)
    coord = User.objects.create_user("coord", platform_role="coordinator")
    portal = system_services.register_system(
        actor=coord, name="Cổng thông tin", owner=unit, operator=unit, security_level=2
    )
    tokens = []
    for n in range(clients):
        user = User.objects.create_user(f"client{n}", email=f"client{n}@example.vn")
        Membership.objects.create(user=user, organization=unit, role="responder")
        tokens.append(create_token(actor=user, name="bench")[1])
    connections.close_all()
    return {"unit": unit.pk, "system": portal.pk, "tokens": tokens}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    from ungcuu.core.supervisor import web_command

    server = subprocess.Popen(
        web_command("127.0.0.1", port), cwd=ROOT, stdout=log_path.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not listen on {port}; see {log_path}")


def client(port: int, token: str, seeded: dict, submits: int, n: int, results: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    detected = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).isoformat()
    for i in range(submits):
        body = {
            "title": f"Bench {n}-{i}",
            "description": "Lưu lượng bất thường",
            "detected_at": detected,
            "organization": seeded["unit"],
            "system": seeded["system"],
            "category": "ATTACK.DOS",
        }
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/incidents/", json.dumps(body), headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        results.append((status, time.perf_counter() - started))
    conn.close()


def check_stored(accepted: int) -> str:
    import django

    django.setup()
    from ungcuu.incidents.models import Incident

    refs = list(Incident.objects.values_list("reference", flat=True))
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in refs)
    problems = []
    if len(refs) != accepted:
        problems.append(f"{len(refs)} stored for {accepted} accepted")
    if len(set(refs)) != len(refs):
        problems.append("duplicate references")
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append("gaps in the reference numbers")
    return "; ".join(problems) or f"{len(refs)} stored once, references 1..{len(refs)} without gaps"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--submits", type=int, default=100)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ungcuu-bench-"))
    os.environ.update(
        DATABASE_URL=fresh_database(workdir),
        DJANGO_SETTINGS_MODULE="ungcuu.settings",
        MEDIA_ROOT=str(workdir / "media"),
        SECRET_KEY="bench-only-" + "x" * 40,
        TASKS_BACKEND="db",  # notifications queue up as they do in `make run`; no worker drains them here
    )
    seeded = seed(args.clients)
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    port = free_port()
    server = start_server(port, workdir / "gunicorn.log")
    results: list = []
    try:
        threads = [
            threading.Thread(target=client, args=(port, token, seeded, args.submits, n, results))
            for n, token in enumerate(seeded["tokens"])
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = Counter(status for status, _ in results)
    accepted = sum(n for status, n in statuses.items() if isinstance(status, int) and 200 <= status < 300)
    refused = len(results) - accepted
    latencies = sorted(seconds for _, seconds in results)
    print(
        f"{engine}: {args.clients} clients x {args.submits} submits, gunicorn "
        f"{settings.WEB_WORKERS} workers x {settings.WEB_THREADS} threads"
    )
    print(f"  answers: {dict(statuses)}")
    print(f"  refusals (non-2xx): {refused} of {len(results)}")
    print(f"  throughput: {len(results) / elapsed:.1f} submits/s over {elapsed:.1f} s")
    print(
        f"  latency: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"  stored: {check_stored(accepted)}")
    print(f"  server log: {workdir / 'gunicorn.log'}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
