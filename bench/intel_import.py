"""Measures a STIX import of N indicators into one incident: parsing (stix2 + pattern) and the database
writes, on a throwaway test database (SQLite in memory by default; DATABASE_URL for PostgreSQL).

Usage: UNGCUU_DEMO=1 .venv/bin/python bench/intel_import.py [N]
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")

import django  # noqa: E402

django.setup()

import stix2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def bundle(n: int) -> bytes:
    objects = [
        stix2.v21.Indicator(
            pattern=f"[ipv4-addr:value = '10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}']",
            pattern_type="stix",
            valid_from="2026-01-01T00:00:00Z",
        )
        for i in range(n)
    ]
    return stix2.v21.Bundle(objects=objects).serialize().encode()


def world():
    from ungcuu.incidents.tests.factories import reported  # noqa: PLC0415 - needs the test database
    from ungcuu.organizations.models import Kind, Membership  # noqa: PLC0415
    from ungcuu.organizations.tests.factories import OrganizationFactory, member  # noqa: PLC0415

    org = OrganizationFactory(code="BENCH", name="Bench unit", kind=Kind.OPERATOR)
    user = member(org, Membership.Role.RESPONDER, username="bench")
    return user, reported(user, org, "Bench incident")


def main() -> None:
    from ungcuu.intel import parsing, services  # noqa: PLC0415

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    settings.INTEL_IMPORT_MAX_OBJECTS = max(n, settings.INTEL_IMPORT_MAX_OBJECTS)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    setup_test_environment()
    raw = bundle(n)
    start = time.perf_counter()
    parsing.parse_stix(raw)
    parsed = time.perf_counter() - start
    connection.creation.create_test_db(verbosity=0)
    user, incident = world()
    start = time.perf_counter()
    result = services.import_indicators(actor=user, format="stix", raw=raw, incident=incident)
    first = time.perf_counter() - start
    start = time.perf_counter()
    services.import_indicators(actor=user, format="stix", raw=raw, incident=incident)
    again = time.perf_counter() - start
    print(
        f"{n} indicators ({len(raw):,} bytes, {connection.vendor}): parse+validate {parsed:.1f} s; "
        f"whole import {first:.1f} s ({result.added} added); re-import {again:.1f} s"
    )


if __name__ == "__main__":
    main()
