"""Reference numbers (`NB-2026-000123`, `CB-2026-0012`): one counter mechanism for every numbered record."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from ungcuu.core.models import ReferenceCounter


def next_reference(sequence: str, prefix: str, *, digits: int, now: datetime.datetime | None = None) -> str:
    """`PREFIX-YYYY-NNNN`: the next number of `sequence` in the local year of `now`.

    The counter row is locked (SELECT ... FOR UPDATE) until the caller's transaction ends, so two callers
    never get the same number and a rolled-back caller gives its number back (gap-free on PostgreSQL).
    Callers take it as late in their transaction as they can, so the hot row is held briefly.
    """
    year = timezone.localtime(now or timezone.now()).year
    return f"{prefix}-{year}-{next_number(sequence, prefix, now=now):0{digits}d}"


def next_number(sequence: str, prefix: str, *, now: datetime.datetime | None = None) -> int:
    """The next number of `sequence` for `prefix` in the local year of `now`, from 1 each year (the same
    locked counter as `next_reference`)."""
    year = timezone.localtime(now or timezone.now()).year
    bumped = _bump(sequence, prefix, year)
    if bumped is not None:
        return bumped
    # The year's first number: create the row (locked until the caller's transaction ends, as above).
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        sequence=sequence, prefix=prefix, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _bump(sequence: str, prefix: str, year: int) -> int | None:
    """Increment an existing counter and read it back in one statement (`UPDATE … RETURNING`, PostgreSQL
    and SQLite ≥ 3.35): the UPDATE locks the row until the caller's transaction ends, as SELECT … FOR
    UPDATE did, with one round trip instead of two while every other intake waits (issue 18). None when
    the year has no counter yet."""
    quote = connection.ops.quote_name
    table = quote(ReferenceCounter._meta.db_table)
    columns = {field.name: quote(str(field.column)) for field in ReferenceCounter._meta.concrete_fields}
    last, seq, pre, yr = (columns[name] for name in ("last", "sequence", "prefix", "year"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {seq} = %s AND {pre} = %s AND {yr} = %s "  # noqa: S608
            f"RETURNING {last}",
            [sequence, prefix, year],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])
