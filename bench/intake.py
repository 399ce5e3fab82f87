"""One client submitting reports through the API in-process: the request, the intake transaction, the
reference counter's hold, and the queries of each (issue 18's intake, docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb .venv/bin/python bench/intake.py --submits 40
    .venv/bin/python bench/intake.py --profile /tmp/intake.prof     # cProfile of the timed submits

Posts to `/api/v1/incidents/` with Django's test client as a responder of the demo province (load the demo
first: `manage.py load_demo`), WRITING the reports into the database DATABASE_URL names: use your own.
The transaction runs from the call of `services._create_report` to its commit (the connection running
its commit hooks), the counter is held from `services.next_reference` to that commit, and "after commit"
is the hooks (enqueueing the delivery jobs, the webhook check) up to the return. All are timed by wrapping
those names, so the script measures any checkout that keeps them (copy it into an export of an older
commit to compare).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
    os.environ.setdefault("UNGCUU_TWO_FACTOR_REQUIRED", "0")
    os.environ.setdefault("TASKS_BACKEND", "db")  # as bench/pages.py: the jobs queue up, nothing drains them
    import django

    django.setup()


class Probe:
    """Wraps the intake transaction and the counter; counts the queries of the request and of the
    transaction (SQLite's BEGIN included: it is a statement the database runs)."""

    def __init__(self):
        self.in_tx = False
        self.queries = self.tx_queries = 0
        self.counter_taken = self.committed = None
        self.tx_ms: list[float] = []
        self.held_ms: list[float] = []
        self.after_ms: list[float] = []
        self.tx_counts: list[int] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        self.tx_queries += self.in_tx
        return execute(sql, params, many, context)

    def install(self, services) -> None:
        from django.db.backends.base.base import BaseDatabaseWrapper

        create, counter = services._create_report, services.next_reference
        run_hooks = BaseDatabaseWrapper.run_and_clear_commit_hooks

        def timed_create(**kwargs):
            self.in_tx, self.tx_queries, self.counter_taken, self.committed = True, 0, None, None
            started = time.perf_counter()
            try:
                return create(**kwargs)
            finally:
                ended = time.perf_counter()
                self.in_tx = False
                committed = self.committed or ended
                self.tx_ms.append((committed - started) * 1000)
                self.after_ms.append((ended - committed) * 1000)
                self.tx_counts.append(self.tx_count_at_commit if self.committed else self.tx_queries)
                if self.counter_taken is not None:
                    self.held_ms.append((committed - self.counter_taken) * 1000)

        def hooks(connection):
            if self.in_tx and self.committed is None:
                self.committed, self.tx_count_at_commit = time.perf_counter(), self.tx_queries
            return run_hooks(connection)

        BaseDatabaseWrapper.run_and_clear_commit_hooks = hooks

        def timed_counter(*args, **kwargs):
            self.counter_taken = time.perf_counter()
            return counter(*args, **kwargs)

        services._create_report, services.next_reference = timed_create, timed_counter


def reporter():
    """A responder of an organization with a system, and an API token for them."""
    from ungcuu.accounts.tokens import create_token
    from ungcuu.organizations.models import Membership
    from ungcuu.systems.models import InformationSystem

    for membership in Membership.objects.filter(role="responder", user__is_active=True).order_by("pk"):
        system = InformationSystem.objects.filter(operator=membership.organization_id).order_by("pk").first()
        if system is not None:
            token = create_token(actor=membership.user, name="bench")[1]
            return token, membership.organization_id, system.pk
    raise SystemExit("No responder with a system: run `manage.py load_demo` first.")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submits", type=int, default=40)
    parser.add_argument("--warm", type=int, default=2, help="untimed submits first")
    parser.add_argument("--profile", default="", help="write a cProfile of the timed submits here")
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from ungcuu.incidents import services

    token, org, system = reporter()
    probe = Probe()
    probe.install(services)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
    detected = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).isoformat()

    def submit(n: int) -> None:
        body = {
            "title": f"Tấn công thử tải {n}",
            "description": "Lưu lượng bất thường",
            "detected_at": detected,
            "organization": org,
            "system": system,
            "category": "ATTACK.DOS",
        }  # fmt: skip (the body bench/pages.py posts)
        response = client.post("/api/v1/incidents/", json.dumps(body), content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(f"submit {n}: HTTP {response.status_code} {response.content[:300]!r}")

    for n in range(args.warm):
        submit(n)
    probe.tx_ms.clear(), probe.held_ms.clear(), probe.after_ms.clear(), probe.tx_counts.clear()
    request_ms, request_queries = [], []
    load_before = Path("/proc/loadavg").read_text().split()[0]
    profiler = cProfile.Profile() if args.profile else None
    with connection.execute_wrapper(probe):
        for n in range(args.submits):
            probe.queries = 0
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            submit(args.warm + n)
            request_ms.append((time.perf_counter() - started) * 1000)
            if profiler:
                profiler.disable()
            request_queries.append(probe.queries)
    load_after = Path("/proc/loadavg").read_text().split()[0]
    if profiler:
        profiler.dump_stats(args.profile)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    label = args.label or engine
    print(f"{label}: {args.submits} API submits, one client, in-process; load {load_before}-{load_after}")
    print(f"  request       p50/p95 ms {pct(request_ms, 0.5):6.1f} / {pct(request_ms, 0.95):6.1f}")
    print(f"  transaction   p50/p95 ms {pct(probe.tx_ms, 0.5):6.1f} / {pct(probe.tx_ms, 0.95):6.1f}")
    print(f"  counter held  p50/p95 ms {pct(probe.held_ms, 0.5):6.1f} / {pct(probe.held_ms, 0.95):6.1f}")
    print(f"  after commit  p50/p95 ms {pct(probe.after_ms, 0.5):6.1f} / {pct(probe.after_ms, 0.95):6.1f}")
    print(
        f"  queries: request {statistics.median(request_queries):.0f}, "
        f"in the transaction {statistics.median(probe.tx_counts):.0f} (median; SQLite's BEGIN and COMMIT "
        "are statements)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
