"""The group upsert: one multi-row INSERT … ON CONFLICT DO UPDATE per chunk, on PostgreSQL and SQLite.

Django's bulk_create(update_conflicts=True) can only copy the new row's values over the old ones; a group
adds its counter and keeps the earliest first-seen, the latest last-seen and the highest severity, so the
statement is written here. The conflict target is the partial unique index of open groups
(`alertgroup_one_open_per_key`); both databases accept it with its WHERE clause. Rows arrive sorted by
key, so two concurrent batches lock shared groups in the same order (no deadlock).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection

from ungcuu.alerts.models import AlertGroup

COLUMNS = (
    "organization_id",
    "source",
    "dedup_key",
    "status",
    "severity",
    "count",
    "first_seen",
    "last_seen",
    "title",
    "message",
    "host",
    "observables",
    "system_id",
    "created_at",
    "updated_at",
)
# SQLite allows 32,766 parameters per statement; PostgreSQL 65,535. 15 columns x 1,000 rows fits both.
CHUNK = 1000


def _sql(rows: int) -> str:
    table = AlertGroup._meta.db_table
    greatest, least = ("GREATEST", "LEAST") if connection.vendor == "postgresql" else ("MAX", "MIN")
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    one = "(" + ", ".join("%s" + (json_cast if c == "observables" else "") for c in COLUMNS) + ")"
    newer = f"EXCLUDED.last_seen >= {table}.last_seen"
    latest = ", ".join(
        f"{c} = CASE WHEN {newer} THEN EXCLUDED.{c} ELSE {table}.{c} END"
        for c in ("title", "message", "host", "observables")
    )
    # Only names from this module and placeholders are put together here; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES {', '.join([one] * rows)} "  # noqa: S608
        f"ON CONFLICT (organization_id, source, dedup_key) WHERE status = 'open' DO UPDATE SET "
        f"count = {table}.count + EXCLUDED.count, "
        f"first_seen = {least}({table}.first_seen, EXCLUDED.first_seen), "
        f"last_seen = {greatest}({table}.last_seen, EXCLUDED.last_seen), "
        f"severity = {greatest}({table}.severity, EXCLUDED.severity), "
        f"{latest}, "
        f"system_id = COALESCE({table}.system_id, EXCLUDED.system_id), "
        f"updated_at = EXCLUDED.updated_at"
    )
    return sql


def upsert_groups(rows: Iterable[tuple]) -> None:
    """Write `rows` (values in COLUMNS order, `observables` a list) in chunks, in the caller's transaction."""
    ordered = sorted(rows, key=lambda row: (row[0], row[1], row[2]))
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            params: list = []
            for row in chunk:
                row = list(row)
                row[11] = json.dumps(row[11], ensure_ascii=False)
                for i in (6, 7, 13, 14):
                    row[i] = adapt(row[i])
                params.extend(row)
            cursor.execute(_sql(len(chunk)), params)
