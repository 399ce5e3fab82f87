"""The incident search's index on SQLite: an FTS5 trigram table over the folded `search_text` (issue 18).

PostgreSQL answers `LIKE '%…%'` from a GIN trigram index (migration 0007); SQLite reads the whole table.
FTS5's trigram tokenizer (SQLite >= 3.34) indexes every run of three characters, so a quoted phrase of three
characters or more matches exactly the rows whose text contains it: the LIKE's rows, from the index. The
table keeps no copy of the text (external content: it reads `incidents_incident`); triggers keep it in step
with every write, whatever made it (the services, a restore, bench/grow.py's raw inserts).
"""

# ruff: noqa: S608  (the SQL names only the constant table and trigger names above; the query is a parameter)
from __future__ import annotations

TABLE = "incidents_incident_fts"
TRIGGERS = {
    f"{TABLE}_insert": f"AFTER INSERT ON incidents_incident BEGIN "
    f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"{TABLE}_delete": f"AFTER DELETE ON incidents_incident BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    # Django's save() writes every column: re-index only when the text really changed.
    f"{TABLE}_update": f"AFTER UPDATE OF search_text ON incidents_incident "
    f"WHEN old.search_text IS NOT new.search_text BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
}
# Fewer characters make no trigram: such a search keeps the plain LIKE (it matches most rows anyway).
MIN_LENGTH = 3
# Up to this many matches the index answers; past it the term is common, and the LIKE walking the list's
# order (reported_at) meets a page of matches sooner than the index lists them all (measured at 100,000
# incidents: a term in 12 % of them took 236 ms through the index, 22 ms by LIKE; a rare one 28 ms against
# 433 ms). Asking the index for RARE + 1 ids stops early, so the probe is cheap either way.
RARE = 1000


def install(connection) -> None:
    """Create the table and its triggers and index the incidents already there (SQLite only; idempotent)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
            "search_text, content='incidents_incident', content_rowid='id', tokenize='trigram')"
        )
        _create_triggers(cursor)


def uninstall(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def repair(connection) -> bool:
    """Put back triggers a later migration dropped, and re-index; True if it had to.

    SQLite alters a table by building a new one and dropping the old, which drops the old one's triggers
    (Django does not know them): after such a migration the index would silently miss new incidents.
    Runs after every `migrate` (apps.py)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        names = [TABLE, *TRIGGERS]
        marks = ", ".join(["%s"] * len(names))
        cursor.execute(f"SELECT name FROM sqlite_master WHERE name IN ({marks})", names)
        present = {row[0] for row in cursor.fetchall()}
        if TABLE not in present or set(TRIGGERS) <= present:
            return False
        _create_triggers(cursor)
    return True


def _create_triggers(cursor) -> None:
    for name, body in TRIGGERS.items():
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def phrase(folded: str) -> str:
    """An FTS5 query matching the folded text as one substring (a quoted string; quotes doubled)."""
    return '"' + folded.replace('"', '""') + '"'


def matching_ids(connection, folded: str, *, limit: int) -> list[int]:
    """The ids of up to `limit` incidents whose folded text contains `folded` (3 characters or more)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s", [phrase(folded), limit])
        return [row[0] for row in cursor.fetchall()]
