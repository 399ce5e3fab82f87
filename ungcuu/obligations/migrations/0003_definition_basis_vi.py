"""Definitions carry the legal basis in Vietnamese; seeded ones get the titles the taxonomy gained."""

from django.db import migrations, models

from ungcuu.obligations.seed import fill_missing_texts


def fill(apps, schema_editor):
    fill_missing_texts(apps.get_model("obligations", "ObligationDefinition"))


class Migration(migrations.Migration):
    dependencies = [("obligations", "0002_seed_definitions_from_taxonomy")]

    operations = [
        migrations.AddField(
            model_name="obligationdefinition",
            name="basis_vi",
            field=models.CharField(
                blank=True,
                help_text="The legal text as an official cites it.",
                max_length=300,
                verbose_name="legal basis",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
