"""Seed the duties DOMAIN.md §g lists that the law gives no interval (risk assessment, inspection of ISPs,
review of the coordination regulation, the public 24/7 contact), at the province's review period."""

from django.db import migrations

from ungcuu.obligations.seed import seed_definitions


def seed(apps, schema_editor):
    seed_definitions(apps.get_model("obligations", "ObligationDefinition"))


class Migration(migrations.Migration):
    dependencies = [("obligations", "0004_calendar_token_digest")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
