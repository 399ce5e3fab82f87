"""Indexes SQLite needs and PostgreSQL does not (issue 18): created after every `migrate`, on SQLite only.

SQLite has no parallel scan and, in the builds we meet, no STAT4 histograms: a filter on a column with
two values (severity) or a NOT IN over statuses reads the whole incident table (60 MB at 100,000
incidents) to count what the list's pager shows. A covering index lets it read the few entries instead.
PostgreSQL's own indexes for these pages are chosen from its plans elsewhere; these are not declared in
`Meta.indexes` so that they exist on SQLite alone. SQLite rebuilds a table to alter it, dropping indexes
Django does not know, so `ensure` runs after every migration (apps.py), as the search index's repair does.
"""

# ruff: noqa: S608  (the SQL names only the constant index definitions below)
from __future__ import annotations

INDEXES = {
    # The filtered list (`?status=open&severity=SERIOUS`) and its capped count: the serious incidents'
    # entries (8 % of them) with their status and the gate's first test, never the table. The dashboard's
    # open-incident figures (`status IN` the open ones, in QĐ05's scope: the system's id) scan this index
    # (2.4 MB at 100,000 incidents) instead of the 60 MB table. 1.8 s to build at 100,000 incidents.
    "incident_sqlite_severity_status": "incidents_incident (severity, status, confidential, system_id)",
}


def ensure(connection) -> list[str]:
    """Create the missing indexes (SQLite only) and give the planner their statistics; their names."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incidents_incident'")
        if cursor.fetchone() is None:  # migrated back to zero
            return []
        marks = ", ".join(["%s"] * len(INDEXES))
        cursor.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ({marks})", list(INDEXES)
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in INDEXES if name not in present]
        for name in missing:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {INDEXES[name]}")
            cursor.execute(f"ANALYZE {name}")  # without statistics the planner guesses its selectivity
    return missing
