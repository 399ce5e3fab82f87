"""Feed secrets were stored in plaintext: keep only their SHA-256 digest, so subscribed calendars keep
working while the database no longer holds a usable secret."""

import hashlib

from django.db import migrations, models


def hash_secrets(apps, schema_editor):
    CalendarToken = apps.get_model("obligations", "CalendarToken")
    for row in CalendarToken.objects.all():
        row.digest = hashlib.sha256(row.token.encode()).hexdigest()
        row.save(update_fields=["digest"])


class Migration(migrations.Migration):

    dependencies = [
        ("obligations", "0003_definition_basis_vi"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendartoken", name="digest", field=models.CharField(max_length=64, null=True)
        ),
        migrations.RunPython(hash_secrets, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendartoken", name="token"),
        migrations.AlterField(
            model_name="calendartoken", name="digest", field=models.CharField(max_length=64, unique=True)
        ),
    ]
