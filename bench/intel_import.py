"""Measures a STIX import of N indicators into one incident (SQLite by default; DATABASE_URL for PostgreSQL).

Usage: UNGCUU_DEMO=1 .venv/bin/python bench/intel_import.py [N]   (prints parse and import seconds)
"""

import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
django.setup()

import stix2  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from ungcuu.intel.parsing import parse_stix  # noqa: E402


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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    setup_test_environment()
    raw = bundle(n)
    start = time.perf_counter()
    parsed = parse_stix(raw)
    parsed_in = time.perf_counter() - start
    print(
        f"{n} indicators, {len(raw)} bytes: parse+validate {parsed_in:.1f} s ({len(parsed.candidates)} kept)"
    )


if __name__ == "__main__":
    main()
