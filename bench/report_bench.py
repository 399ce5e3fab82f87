"""Times the annual provincial report's builders over 100,000 and 1,000,000 incidents on PostgreSQL.

    .venv/bin/python bench/report_bench.py [--sizes 100000,1000000] [--runs 5] [--fresh]

Uses its own database (never the one the app runs on): BENCH_DATABASE_URL, else DATABASE_URL with
"_bench" added to the database name, else postgres://postgres@127.0.0.1:5432/ungcuu_bench. The database
is created and migrated when missing (--fresh drops it first). Incidents are generated in PostgreSQL
itself (INSERT ... SELECT over generate_series, deterministic from the row number), spread evenly over
the report year and the year before, with the related rows the report reads: a deadline clock per
seeded policy (three per incident), coordination requests for 8 % of them, damage for 5 % of the
attacks, and the units' reports.
The table grows from one size to the next, so 1,000,000 reuses the first 100,000.

Targets (issue 7): under 1 s at 100,000 and under 5 s at 1,000,000 incidents on a 2-core machine.
Only the builders are timed (figures, no rendering), as the report page would call them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ungcuu_bench"
TARGETS = {100_000: 1.0, 1_000_000: 5.0}


def bench_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "ungcuu"
        return urlunsplit(
            parts._replace(path=f"/{name}_bench" if not name.endswith("_bench") else f"/{name}")
        )
    return DEFAULT_URL


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the bench database when missing; --fresh drops it first (it holds nothing but bench data,
    and dropping is much faster than deleting a million rows under their foreign keys)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit(f"refusing to use {name!r}: the bench database's name must end in _bench")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="Drop and recreate the bench database first.")
    args = parser.parse_args()
    url = bench_url()
    ensure_database(url, fresh=args.fresh)
    setup_django(url)
    from django.utils import timezone

    from bench import report_data

    year = timezone.localdate().year - 1
    cast = report_data.ensure_cast(year)
    failed = False
    for size in [int(s) for s in args.sizes.split(",")]:
        have = report_data.generated()
        if have > size:
            print(f"{size:>9,} incidents: skipped, the bench database already holds {have:,} (use --fresh)")
            continue
        started = time.perf_counter()
        added = report_data.grow_to(size, year=year, cast=cast)
        if added:
            print(
                f"generated {added:,} incidents (and related rows) in {time.perf_counter() - started:.1f} s"
            )
        timings = time_builders(year, args.runs)
        median, worst = statistics.median(timings), max(timings)
        target = TARGETS.get(size)
        verdict = "" if target is None else (" OK" if worst < target else f" OVER the {target:.0f} s target")
        failed = failed or (target is not None and worst >= target)
        print(
            f"{size:>9,} incidents: annual province report builders median {median:.3f} s, "
            f"max {worst:.3f} s over {len(timings)} runs{verdict}"
        )
    return 1 if failed else 0


def time_builders(year: int, runs: int) -> list[float]:
    from django.utils import translation

    from ungcuu.core.periods import Period
    from ungcuu.reports import builders

    period = Period.year(year)
    timings = []
    with translation.override("vi"):
        report = builders.build_province_report(period=period)  # warm the connection and the caches
        print(
            f"    {report.incidents.total:,} incidents in {year}, "
            f"{report.incidents.form05_total.count:,} attacks, {report.incidents.serious:,} serious, "
            f"{report.units.submitted} unit reports"
        )
        for _run in range(runs):
            started = time.perf_counter()
            builders.build_province_report(period=period)
            timings.append(time.perf_counter() - started)
    return timings


if __name__ == "__main__":
    sys.exit(main())
