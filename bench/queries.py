"""The slowest SQL queries of single requests, in-process, with their plans (SQLite or PostgreSQL).

    DATABASE_URL=sqlite:////path/perf.sqlite3 .venv/bin/python bench/queries.py [--plans] [--top N] [PATH ...]

Signs the demo coordinator in (Django's test client, no server), requests each path once (or --repeat
times after a warm-up request; default: the
dashboard, the statistics page and an incident page the coordinator may open), and prints the request's
time, its query count, and the N slowest queries with their time and where the view spent the rest.
--plans adds each slow query's plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL); --profile N the N
costliest functions (cProfile, cumulative time) of one more request: where the Python time goes. A diagnostic
that prints, not a timed test: the figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--plans", action="store_true", help="print each slow query's plan")
    parser.add_argument("--top", type=int, default=5, help="how many of the slowest queries to print")
    parser.add_argument("--sql", type=int, default=400, help="characters of each query's SQL to print")
    parser.add_argument("--repeat", type=int, default=1, help="requests per path (after one to warm it)")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="also print the N costliest functions of the last request (cProfile)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
    os.environ.setdefault("UNGCUU_TWO_FACTOR_REQUIRED", "0")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from ungcuu.accounts.models import User
    from ungcuu.incidents.models import Incident

    coordinator = User.objects.filter(platform_role="coordinator", is_active=True).order_by("pk").first()
    if coordinator is None:
        raise SystemExit("No coordinator: run `manage.py load_demo` (and bench/grow.py) first.")
    incident = Incident.objects.visible_to(coordinator).order_by("-pk").values_list("pk", flat=True).first()
    paths = args.paths or ["/", "/reports/statistics/", f"/incidents/{incident}/"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator)
    print(f"{connection.vendor}, {Incident.objects.count():,} incidents, load average {load_average()}")
    for path in paths:
        timed: list[tuple[float, str, tuple]] = []

        def wrapper(execute, sql, params, many, context, timed=timed):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timed.append((time.perf_counter() - start, sql, params))

        if args.repeat > 1:
            client.get(path)  # warm: templates, translations, the charts' cache
        totals, sqls = [], []
        for _ in range(args.repeat):
            timed.clear()
            start = time.perf_counter()
            with connection.execute_wrapper(wrapper):
                response = client.get(path)
            totals.append(time.perf_counter() - start)
            sqls.append(sum(t for t, _, _ in timed))
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(client.get, path)
        total, sql_total = sorted(totals)[len(totals) // 2], sorted(sqls)[len(sqls) // 2]
        print(
            f"\n=== {path}: {response.status_code}, {total * 1000:,.0f} ms, {len(timed)} queries, "
            f"{sql_total * 1000:,.0f} ms of SQL (median of {args.repeat}; load {load_average()})"
        )
        for seconds, sql, params in sorted(timed, key=lambda row: row[0], reverse=True)[: args.top]:
            print(f"  {seconds * 1000:9,.1f} ms  {sql[: args.sql]}")
            if args.plans:
                prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
                with connection.cursor() as cursor:
                    cursor.execute(prefix + sql, params)
                    for row in cursor.fetchall():
                        print("      ", " | ".join(str(c) for c in row))
        if args.profile:  # one more request, profiled (slower than the timed ones: the profiler's overhead)
            print(f"  --- the {args.profile} costliest functions of one more request (cumulative time) ---")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
