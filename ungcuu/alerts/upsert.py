"""The group upsert: one multi-row INSERT … ON CONFLICT DO UPDATE per chunk, on PostgreSQL and SQLite.

Django's bulk_create(update_conflicts=True) can only copy the new row's values over the old ones; a group
adds its counter and keeps the earliest first-seen, the latest last-seen and the highest severity, so the
statement is written here. The conflict target is the partial unique index of open groups
(`alertgroup_one_collecting_per_key`: open or dismissed); both databases accept it with its WHERE clause,
written as the index's own predicate. A dismissed group that gets an alert is open again and counts the
reopening (its dismissal's who, when and why stay). Rows arrive sorted by
key, so two concurrent batches lock shared groups in the same order (no deadlock).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import msgspec
import psycopg
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
_json = msgspec.json.Encoder().encode
# The partial unique index's predicate, as Django writes it (both databases match the conflict target's
# WHERE against the index's by its terms).
COLLECTING = "status IN ('open', 'dismissed')"


def _update_clause(table: str, greatest: str, least: str) -> str:
    newer = f"EXCLUDED.last_seen >= {table}.last_seen"
    latest = ", ".join(
        f"{c} = CASE WHEN {newer} THEN EXCLUDED.{c} ELSE {table}.{c} END"
        for c in ("title", "message", "host", "observables")
    )
    return (
        f"ON CONFLICT (organization_id, source, dedup_key) WHERE {COLLECTING} DO UPDATE SET "
        f"count = {table}.count + EXCLUDED.count, "
        f"reopened_count = {table}.reopened_count "
        f"+ CASE WHEN {table}.status = 'dismissed' THEN 1 ELSE 0 END, "
        f"status = 'open', "
        f"first_seen = {least}({table}.first_seen, EXCLUDED.first_seen), "
        f"last_seen = {greatest}({table}.last_seen, EXCLUDED.last_seen), "
        f"severity = {greatest}({table}.severity, EXCLUDED.severity), "
        f"{latest}, "
        f"system_id = COALESCE({table}.system_id, EXCLUDED.system_id), "
        f"updated_at = EXCLUDED.updated_at"
    )


# Only names from this module and placeholders are put together here; every value is a parameter.
def _values_sql(rows: int) -> str:
    """SQLite: a multi-row VALUES list (15 placeholders a row)."""
    table = AlertGroup._meta.db_table
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    values = ", ".join([one] * rows)
    insert = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES {values} "  # noqa: S608
    return insert + _update_clause(table, "MAX", "MIN")


# PostgreSQL: one array per column, unnested server-side: 15 parameters whatever the number of rows, so
# the driver neither parses a huge statement nor adapts each value by itself (measured: the VALUES form
# spent more CPU in psycopg's query splitting than the database spent upserting).
ARRAY_TYPES = (
    "bigint",
    "text",
    "text",
    "text",
    "smallint",
    "bigint",
    "timestamptz",
    "timestamptz",
    "text",
    "text",
    "text",
    "text",
    "bigint",
    "timestamptz",
    "timestamptz",
)


def _unnest_sql() -> str:
    table = AlertGroup._meta.db_table
    arrays = ", ".join(f"%b::{kind}[]" for kind in ARRAY_TYPES)  # %b: sent in binary
    columns = ", ".join(f"u.{c}::jsonb" if c == "observables" else f"u.{c}" for c in COLUMNS)
    return (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) SELECT {columns} "  # noqa: S608
        f"FROM unnest({arrays}) AS u({', '.join(COLUMNS)}) " + _update_clause(table, "GREATEST", "LEAST")
    )


def _datetime_adapter():
    """SQLite stores naive UTC text, as Django writes it (its own adapter cost ~30 µs a value)."""
    return lambda value: value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")


def upsert_groups(rows: Iterable[tuple]) -> None:
    """Write `rows` (values in COLUMNS order, `observables` a list) in the caller's transaction."""
    ordered = sorted(rows, key=lambda row: (row[0], row[1], row[2]))
    if not ordered:
        return
    if connection.vendor == "postgresql":
        columns = [list(column) for column in zip(*ordered, strict=True)]
        columns[11] = [_json(value).decode() for value in columns[11]]
        # Django's cursor binds on the client, in text: psycopg then quotes each array element in Python.
        # A plain psycopg cursor on the same connection (same transaction) sends the arrays in binary.
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as raw:
            raw.execute(_unnest_sql(), columns)
        return
    with connection.cursor() as cursor:
        adapt = _datetime_adapter()
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            params: list = []
            for row in chunk:
                values = list(row)
                values[11] = _json(values[11]).decode()
                for i in (6, 7, 13, 14):
                    values[i] = adapt(values[i])
                params.extend(values)
            cursor.execute(_values_sql(len(chunk)), params)
