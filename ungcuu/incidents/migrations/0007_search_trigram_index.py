"""A trigram index for the incident search on PostgreSQL (issue 18).

The search compares the folded `search_text` with `LIKE '%…%'`, which a B-tree cannot serve: without
this index every search reads the whole table. pg_trgm's GIN index answers the same LIKE from the
trigrams of the folded text, accents already removed, so "tan cong" and "tấn công" both use it. Other
databases skip this migration (SQLite has its own path, see 0008).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "incident_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON incidents_incident USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0006_incident_contained_at"),
    ]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION IF NOT EXISTS pg_trgm; a no-op on other databases
        migrations.RunPython(create_index, drop_index),
    ]
