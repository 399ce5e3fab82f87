"""The incident search's FTS5 trigram index on SQLite (issue 18; see ungcuu.incidents.fts). A no-op on
PostgreSQL, which has its GIN trigram index (0007)."""

from django.db import migrations

from ungcuu.incidents import fts


def install(apps, schema_editor):
    fts.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    fts.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0012_task_owner_team"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
