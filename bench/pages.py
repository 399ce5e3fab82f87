"""Every operation of issue 18's table against the real server on loopback: p50/p95/max, throughput, RSS,
queries per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ungcuu_perf .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --grow 100000      # grow the database first (bench/grow.py)

Reads the database named by DATABASE_URL as it is (load the demo and grow it first, or pass --grow), starts
gunicorn exactly as `manage.py serve` does (WEB_WORKERS x WEB_THREADS, default 2 x 2 here) on a free loopback
port, signs the demo coordinator in with a server-side session, and runs each page with CLIENTS concurrent
clients on kept-alive connections. Intake posts reports through the API with one client, then four. The
query count of each page is taken once in-process (Django's test client, same database). A script that
prints a table, not a timed test: the figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
    os.environ.setdefault("UNGCUU_TWO_FACTOR_REQUIRED", "0")  # the bench signs in without a phone
    # One key for this process and the server (the demo key lives in each checkout's var/): sessions and
    # API tokens made here must be valid there.
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    import django

    django.setup()


def cast() -> dict:
    """The coordinator's session, API tokens (coordinator, responders of units with systems), ids to open."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from ungcuu.accounts.models import User
    from ungcuu.accounts.tokens import create_token
    from ungcuu.incidents.models import Incident
    from ungcuu.organizations.models import Membership
    from ungcuu.systems.models import InformationSystem

    coordinator = User.objects.filter(platform_role="coordinator", is_active=True).order_by("pk").first()
    if coordinator is None:
        raise SystemExit("No coordinator: run `manage.py load_demo` (and bench/grow.py) first.")
    session = SessionStore()
    session[SESSION_KEY] = str(coordinator.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = coordinator.get_session_auth_hash()
    session.create()
    responders = []
    for membership in Membership.objects.filter(role="responder", user__is_active=True).order_by("pk"):
        system = InformationSystem.objects.filter(operator=membership.organization_id).order_by("pk").first()
        if system is not None:
            responders.append((membership.user, membership.organization_id, system.pk))
        if len(responders) == 4:
            break
    tokens = [(create_token(actor=user, name="bench")[1], org, sys_) for user, org, sys_ in responders]
    visible = Incident.objects.visible_to(coordinator)  # a page the coordinator may open (else 404)
    ids = list(visible.order_by("-pk").values_list("pk", flat=True)[:2000])
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "coordinator": coordinator,
        "coordinator_token": create_token(actor=coordinator, name="bench")[1],
        "reporters": tokens,
        "ids": ids,
    }


PAGES = [
    ("Incident list (coordinator)", "/incidents/"),
    ("Filtered list", "/incidents/?status=open&severity=SERIOUS"),
    ("Search without diacritics", "/incidents/?q=tan+cong+tu+choi"),
    ("Search with diacritics", "/incidents/?q=T%E1%BA%A5n+c%C3%B4ng"),
    ("Page 500 of the list", "/incidents/?page=500"),
    ("Coordinator dashboard", "/"),
    ("Incident page", "/incidents/{id}/"),
    ("Statistics page", "/reports/statistics/"),
    ("API incident list", "/api/v1/incidents/"),
    # The documents of a whole year (bench/grow.py spreads incidents over the five years before END).
    ("Annual province report (page)", "/reports/province/?year=2025&span=Y"),
    ("Form 05, annual, province (page)", "/reports/form05/?year=2025&span=RY"),
    ("Form 05, annual, province (PDF)", "/reports/form05/?year=2025&span=RY&download=pdf"),
    ("Annual province report (PDF)", "/reports/province/?year=2025&span=Y&download=pdf"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    from ungcuu.core.supervisor import web_command

    server = subprocess.Popen(
        web_command("127.0.0.1", port),
        cwd=os.environ.get("BENCH_SERVER_ROOT", ROOT),
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
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


def worker_rss_mib(master: int) -> list[float]:
    """Resident memory of gunicorn's workers (the master's children), from /proc."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    out = []
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return out


def helpers_mib(master: int) -> list[tuple[float, float]]:
    """(RSS, PSS) of the workers' own children: the render processes (ungcuu.core.apart: per worker a fork
    server, the render child it forked and multiprocessing's resource tracker), so that the memory moved
    out of the workers is shown too. PSS counts a page shared by n processes as 1/n in each (a render
    child shares most of its pages with its fork server), so the PSS add up to what they take."""
    out = []
    for worker in _children(master):
        stack = _children(worker)
        while stack:
            pid = stack.pop()
            stack.extend(_children(pid))
            out.extend((rss, _pss_of(pid)) for rss in _rss_of(pid))
    return out


def _pss_of(pid: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int | str) -> list[str]:
    """Children of every thread of `pid` (a worker's thread starts its fork server)."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += (task / "children").read_text().split()
    return out


def _rss_of(pid: str) -> list[float]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return [int(line.split()[1]) / 1024]
    except OSError:
        pass
    return []


def settled_rss_mib(master: int, timeout: float = 60.0) -> list[float]:
    """The workers' RSS once they have loaded the application and warmed their libraries: gunicorn listens
    before its workers import Django, and wsgi.py imports WeasyPrint and matplotlib in a background thread,
    so RSS read at `listen` time (about 33 MiB) is not the worker's real floor. Waits until two reads two
    seconds apart agree within 1 MiB per worker."""
    deadline = time.monotonic() + timeout
    previous = worker_rss_mib(master)
    while time.monotonic() < deadline:
        time.sleep(2)
        current = worker_rss_mib(master)
        if len(current) == len(previous) and all(
            abs(a - b) < 1 for a, b in zip(current, previous, strict=True)
        ):
            return current
        previous = current
    return previous


def run_clients(port: int, clients: int, requests: int, make) -> tuple[list[float], list, float]:
    """`clients` threads share `requests` calls of make(n) -> (method, path, body, headers)."""
    latencies: list[float] = []
    failures: list = []
    counter = iter(range(requests))
    lock = threading.Lock()

    def work():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            method, path, body, headers = make(n)
            started = time.perf_counter()
            try:
                conn.request(method, path, body, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not (isinstance(status, int) and 200 <= status < 300):
                    failures.append((path, status))
        conn.close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))]


def query_count(path: str, user) -> int | str:
    """Queries of one request, in-process (test client, same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    return len(ctx)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cold_figures(user) -> list[tuple[str, float, str]]:
    """The figure pages' aggregates counted in-process without a snapshot (reports.snapshots.compute): what
    a page costs when its snapshot is missing, and what every background refresh costs. The pages' rows
    above are steady state (each page is warmed once, which stores its snapshot)."""
    import time

    from django.utils import timezone

    from ungcuu.core.periods import Period
    from ungcuu.reports import builders, snapshots
    from ungcuu.reports.access import Scope
    from ungcuu.reports.statistics import default_period, hidden_ids

    province, period = Scope.province(), default_period()
    load, started = load_average(), time.perf_counter()
    hidden, _n = hidden_ids(province, user, period)
    key_ms = (time.perf_counter() - started) * 1000
    timed = [(f"statistics key: the coordinator's hidden set ({len(hidden)} ids)", key_ms, load)]
    specs = [
        ("statistics figures", builders.spec(snapshots.COUNT, province, period, contain=True, hidden=hidden)),
        ("annual province report 2025 figures", builders.spec(snapshots.COUNT, province, Period.year(2025))),
        ("form 05 RY 2025 figures", builders.spec(snapshots.FORM05, province, Period.reporting(2025, "RY"))),
    ]
    for name, spec in specs:
        load, started = load_average(), time.perf_counter()
        snapshots.compute(spec, timezone.now())
        timed.append((name, (time.perf_counter() - started) * 1000, load))
    return timed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grow", type=int, default=0, help="grow the database to this many incidents first")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--clients", type=int, default=2, help="concurrent clients per page")
    parser.add_argument("--requests", type=int, default=20, help="requests per page")
    parser.add_argument("--submits", type=int, default=40, help="reports posted per intake run")
    parser.add_argument(
        "--only", default="", help="run only the operations whose name contains this (several: a,b,c)"
    )
    args = parser.parse_args(argv)
    wanted = [w.strip().lower() for w in args.only.split(",") if w.strip()]

    def skipped(name: str) -> bool:
        return bool(wanted) and not any(w in name.lower() for w in wanted)

    workdir = Path(tempfile.mkdtemp(prefix="ungcuu-pages-"))
    os.environ.setdefault("WEB_WORKERS", "2")
    os.environ.setdefault("WEB_THREADS", "2")
    os.environ.setdefault("TASKS_BACKEND", "db")  # notifications queue up; no worker drains them here
    setup_django()
    from django.conf import settings
    from django.db import connections

    from ungcuu.incidents.models import Incident

    if args.grow:
        from django.core.management import call_command

        from bench.grow import grow
        from ungcuu.systems.models import InformationSystem

        call_command("migrate", verbosity=0)
        if not InformationSystem.objects.exists():  # an empty database: the demo province first
            call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        grow(args.grow, args.seed)
    info = cast()
    size = Incident.objects.count()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    connections.close_all()
    port = free_port()
    log = workdir / "gunicorn.log"
    server = start_server(port, log)
    rng = random.Random(args.seed)
    rows = []
    try:
        boot_rss = worker_rss_mib(server.pid)
        run_clients(port, 2, 2, lambda n: ("GET", "/accounts/login/", None, {}))  # both workers load the app
        ready_rss = settled_rss_mib(server.pid)
        page_headers = {"Cookie": info["cookie"]}
        api_headers = {"Authorization": f"Token {info['coordinator_token']}"}
        for name, path in PAGES:
            if skipped(name):
                continue
            headers = api_headers if path.startswith("/api/") else page_headers

            def make(n, path=path, headers=headers):
                return "GET", path.format(id=rng.choice(info["ids"])), None, headers

            load = load_average()
            run_clients(port, 1, 1, make)  # warm this page's code path (and caches) once
            latencies, failures, elapsed = run_clients(port, args.clients, args.requests, make)
            queries = query_count(path.format(id=info["ids"][0]), info["coordinator"])
            rows.append((name, latencies, elapsed, failures, queries, load, worker_rss_mib(server.pid)))
        detected = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).isoformat()
        for clients in (1, 4):
            name = f"Create an incident through the API, {clients} client{'s' if clients > 1 else ''}"
            if skipped(name):
                continue
            reporters = info["reporters"][:clients] or []
            if not reporters:
                continue

            def make(n, reporters=reporters, clients=clients):
                token, org, system = reporters[n % len(reporters)]
                body = {"title": f"Tấn công thử tải {clients}-{n}", "description": "Lưu lượng bất thường",
                        "detected_at": detected, "organization": org, "system": system,
                        "category": "ATTACK.DOS"}  # fmt: skip
                headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
                return "POST", "/api/v1/incidents/", json.dumps(body), headers

            load = load_average()
            run_clients(port, clients, clients, make)  # warm each client's worker as the pages are warmed
            latencies, failures, elapsed = run_clients(port, clients, args.submits, make)
            rows.append((name, latencies, elapsed, failures, "", load, worker_rss_mib(server.pid)))
        end_rss = worker_rss_mib(server.pid)
        figure_pages = [n for n, _p in PAGES if any(w in n for w in ("Statistics", "annual", "Form 05"))]
        cold = cold_figures(info["coordinator"]) if not all(map(skipped, figure_pages)) else []
        end_helpers = helpers_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()
    print(
        f"{engine}, {size:,} incidents; gunicorn {settings.WEB_WORKERS} workers x {settings.WEB_THREADS} "
        "threads; "
        f"{args.clients} clients x {args.requests} requests per page; {os.cpu_count()} CPUs"
    )
    print(
        "| Operation | p50 ms | p95 ms | max ms | req/s | queries | errors | load avg (1/5/15 min) "
        "| workers' RSS after (MiB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for name, latencies, elapsed, failures, queries, load, rss in rows:
        ms = [
            f"{v * 1000:,.0f}"
            for v in (percentile(latencies, 0.5), percentile(latencies, 0.95), max(latencies))
        ]
        rate = len(latencies) / elapsed
        after = ", ".join(f"{r:.0f}" for r in rss)
        print(f"| {name} | {' | '.join(ms)} | {rate:.1f} | {queries} | {len(failures)} | {load} | {after} |")
    print(
        f"\nWorker RSS (MiB): at boot {', '.join(f'{r:.0f}' for r in boot_rss)}; "
        f"application loaded and warmed {', '.join(f'{r:.0f}' for r in ready_rss)}; "
        f"after the run {', '.join(f'{r:.0f}' for r in end_rss)}"
    )
    if cold:
        print(
            "\nThe figure pages above serve kept snapshots (UNGCUU_FIGURES_MAX_AGE="
            f"{settings.UNGCUU_FIGURES_MAX_AGE} s; the warm-up request stored them). Counted cold, "
            "in-process, once (a page without a snapshot, and every background refresh):"
        )
        for name, ms, load in cold:
            print(f"- {name}: {ms:,.0f} ms (load avg {load})")
    if end_helpers:
        print(
            "Render processes after the run (MiB): RSS "
            f"{', '.join(f'{r:.0f}' for r, _ in end_helpers)}; "
            f"PSS {', '.join(f'{p:.0f}' for _, p in end_helpers)} "
            f"(sum {sum(p for _, p in end_helpers):.0f})"
        )
    problems = [f for *_, failures, _, _, _ in rows for f in failures]
    if problems:
        print(f"failures: {problems[:10]} (server log: {log})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
