"""Seed the obligation definitions from taxonomy.json (through ungcuu.core.taxonomy; never retyped)."""

from django.db import migrations

from ungcuu.obligations.seed import seed_definitions


def seed(apps, schema_editor):
    seed_definitions(apps.get_model("obligations", "ObligationDefinition"))


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
