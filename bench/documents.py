"""How long each official document takes to build, in each format, on the demo province (issue 14).

    .venv/bin/python bench/documents.py                  # a fresh SQLite file with the demo province
    .venv/bin/python bench/documents.py --runs 10 --only province
    .venv/bin/python bench/documents.py --profile "Province report:pdf"   # cProfile of one warm build
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ungcuu_docbench .venv/bin/python bench/documents.py

Without DATABASE_URL the demo province is loaded into a fresh SQLite file in a temp folder (migrate +
load_demo: about half a minute); a DATABASE_URL is used as it is (migrated, the demo loaded when it is
empty; the bench only reads). Every document is asked for as the demo coordinator would, through Django's
test client in this process (the view, its queries and the rendering; no network): the preview page and
each download the page offers. "cold" is the first build of that document and format in the process,
"warm" the next RUNS builds (p50 and max). The libraries a web process loads once at start-up
(ungcuu.core.nd30.pdf.warm) are loaded and timed first, on their own rows, as a web process has them. The
load average is printed on every row: the figures depend on what else runs on the machine. A script that
prints a table, never a timed test.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 1.0  # issue 14: documents and statistics render in under 1 s at demo size


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("UNGCUU_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
    os.environ.setdefault("UNGCUU_TWO_FACTOR_REQUIRED", "0")  # the bench signs in without a phone
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    # Every warm build lays its PDF out: the kept PDFs (ungcuu.core.nd30.pdf, PDF_CACHE_DIR) would send the
    # first one again, and this bench times the layout. bench/pages.py runs as deployed, with them.
    os.environ.setdefault("UNGCUU_PDF_CACHE_DIR", "")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'documents.sqlite3'}"
    # WhiteNoise warns once that collectstatic has not run: nothing here asks for a static file.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    from ungcuu.systems.models import InformationSystem

    call_command("migrate", verbosity=0)
    if not InformationSystem.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)


def subjects() -> dict:
    """The demo's objects each document is about, and the coordinator who asks for them."""
    from ungcuu.accounts.models import User
    from ungcuu.advisories.models import Advisory
    from ungcuu.incidents.models import ClosingReport
    from ungcuu.organizations.models import Kind, Organization
    from ungcuu.preparedness.models import PlanStatus, ResponsePlan
    from ungcuu.reports.models import PeriodicReport

    coordinator = User.objects.filter(platform_role="coordinator", is_active=True).order_by("pk").first()
    if coordinator is None:
        raise SystemExit("No coordinator: the demo province is not loaded.")
    closing = ClosingReport.objects.select_related("incident").order_by("-incident__closed_at").first()
    member = Organization.objects.filter(is_network_member=True, kind=Kind.OPERATOR).order_by("pk").first()
    report = PeriodicReport.objects.filter(kind="progress", status="submitted").order_by("pk").first()
    plan = ResponsePlan.objects.filter(status=PlanStatus.APPROVED).order_by("pk").first()
    advisory = Advisory.objects.exclude(status=Advisory.Status.DRAFT).order_by("-pk").first()
    return {
        "coordinator": coordinator,
        "org": member.pk if member else 0,
        "incident": closing.incident_id if closing else 0,
        "report": report.pk if report else 0,
        "plan": plan.pk if plan else 0,
        "advisory": advisory.pk if advisory else 0,
    }


OFFICE = ("html", "pdf", "docx", "xlsx")
# (name, path, formats): "html" is the page itself (the preview), the others its `?download=` links.
DOCUMENTS = [
    ("Form 01 (member profile)", "/reports/forms/01/{org}/", OFFICE),
    ("Form 02 (application)", "/reports/forms/02/{org}/", OFFICE),
    ("Form 03 (initial report)", "/reports/forms/03/{incident}/", OFFICE),
    ("Form 04 (closing report)", "/reports/forms/04/{incident}/", OFFICE),
    ("Form 05 (province)", "/reports/form05/", OFFICE),
    ("Unit report", "/reports/unit/?organization={org}", OFFICE),
    ("Periodic report (submitted)", "/reports/periodic/{report}/", OFFICE),
    ("Province report", "/reports/province/", OFFICE),
    ("Bulletin", "/reports/bulletin/", OFFICE),
    ("Statistics page", "/reports/statistics/", ("html", "xlsx", "csv")),
    ("Advisory dispatch", "/advisories/{advisory}/dispatch.docx", ("docx",)),
    ("Response plan", "/preparedness/plans/{plan}/docx/", ("docx",)),
]


def url(path: str, fmt: str, ids: dict) -> str:
    path = path.format(**ids)
    if fmt == "html" or path.endswith(".docx") or path.endswith("/docx/"):
        return path
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{'export' if '/statistics/' in path else 'download'}={fmt}"


def load_libraries() -> list[tuple[str, float]]:
    """What a web process loads once (the PDF engine, at start-up) or on its first chart (matplotlib)."""
    loads = []
    started = time.perf_counter()
    from ungcuu.core.nd30.pdf import engine

    engine()
    loads.append(("PDF engine (WeasyPrint), once per process", time.perf_counter() - started))
    started = time.perf_counter()
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    loads.append(("Chart library (matplotlib), once per process", time.perf_counter() - started))
    return loads


def fetch(client, path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return elapsed, len(body), response.status_code


def queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    return len(ctx)


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def measure(client, path: str, runs: int) -> dict:
    load = load_average()
    cold, size, _ = fetch(client, path)
    warm = [fetch(client, path)[0] for _ in range(runs)]
    return {
        "cold": cold,
        "p50": statistics.median(warm),
        "max": max(warm),
        "queries": queries(client, path),
        "kb": size / 1024,
        "load": load,
    }


def profile(client, path: str, runs: int) -> None:
    fetch(client, path)  # the cold build is not what is profiled
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        fetch(client, path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def print_table(loads, rows, runs: int) -> None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    cpus = os.cpu_count()
    print(f"\n{engine}, demo province; {runs} warm runs per row; {cpus} CPUs; in-process test client")
    for name, seconds in loads:
        print(f"{name}: {seconds * 1000:,.0f} ms")
    print("| Document | Format | cold ms | warm p50 ms | warm max ms | queries | KiB | load (1/5/15 min) |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for name, fmt, m in rows:
        over = " ⚠" if m["p50"] >= TARGET_S else ""
        figures = f"{m['cold'] * 1000:,.0f} | {m['p50'] * 1000:,.0f}{over} | {m['max'] * 1000:,.0f}"
        print(f"| {name} | {fmt} | {figures} | {m['queries']} | {m['kb']:,.0f} | {m['load']} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm builds per document and format")
    parser.add_argument("--only", default="", help="only the documents whose name contains this")
    parser.add_argument("--profile", default="", help='cProfile warm builds of one row, "Name:format"')
    args = parser.parse_args(argv)
    setup_django(Path(tempfile.mkdtemp(prefix="ungcuu-documents-")))
    from django.test import Client

    ids = subjects()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(ids["coordinator"])
    loads = load_libraries()
    if args.profile:
        name, _, fmt = args.profile.rpartition(":")
        path = next(p for n, p, _ in DOCUMENTS if name.lower() in n.lower())
        profile(client, url(path, fmt, ids), args.runs)
        return 0
    rows = []
    for name, path, formats in DOCUMENTS:
        if args.only and args.only.lower() not in name.lower():
            continue
        for fmt in formats:
            rows.append((name, fmt, measure(client, url(path, fmt, ids), args.runs)))
    print_table(loads, rows, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
