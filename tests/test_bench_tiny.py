"""The benchmarks at a tiny scale, so they do not rot (issue 18): not a timing test.

The demo province is loaded into a fresh SQLite file, grown to 200 incidents by bench/grow.py, and every
operation of bench/pages.py runs against gunicorn on loopback with a couple of requests each. The test
asserts that the run completes without a refused request and prints its table; the figures are not judged.
The documents' benchmark (bench/documents.py) then times one document in each format on the same file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.pages import PAGES

# Both benchmarks run on SQLite files of their own: the PostgreSQL half of the suite would repeat them.
pytestmark = pytest.mark.own_sqlite

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def test_generator_and_page_benchmark_run_at_200_incidents(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ungcuu.settings",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "UNGCUU_DEMO": "1",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    for args in (["manage.py", "migrate", "-v0"], ["manage.py", "load_demo"]):
        done = run(args, env)
        assert done.returncode == 0, done.stderr[-2000:]

    done = run(
        ["bench/pages.py", "--grow", "200", "--requests", "2", "--submits", "2", "--clients", "2"], env
    )

    print(done.stdout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "grew " in done.stdout and "-> 200 incidents" in done.stdout
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    names = [line.split("|")[1].strip() for line in table[1:]]
    # The header, every page of bench/pages.py (the lists, dashboard, statistics, the annual documents),
    # then intake with one client and with four.
    assert names[: len(PAGES)] == [name for name, _url in PAGES] and len(names) == len(PAGES) + 2

    # bench/documents.py on the same demo file (issue 14): one document in each of its formats, one run.
    done = run(["bench/documents.py", "--runs", "1", "--only", "Province report"], env)

    print(done.stdout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = [line for line in done.stdout.splitlines() if line.startswith("| Province report |")]
    assert [line.split("|")[2].strip() for line in table] == ["html", "pdf", "docx", "xlsx"]


def test_alert_benchmark_runs_at_a_tiny_scale():
    """bench/alerts.py end to end on SQLite (3 batches of 200 alerts): it completes, every batch is
    accepted and the groups' counters add up; its exit status (the target) is not judged here."""
    env = {**os.environ, "UNGCUU_DEMO": "1"}
    env.pop("PYTEST_CURRENT_TEST", None)
    env.pop("DATABASE_URL", None)

    done = run(["bench/alerts.py", "--only", "sqlite", "--batches", "3", "--size", "200"], env)

    assert "answers: [200]" in done.stdout, done.stdout + done.stderr[-2000:]
    assert "(ok)" in done.stdout, done.stdout
    print(done.stdout)
