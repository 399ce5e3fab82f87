"""Operations that several apps' migrations share (historical models only: no import of today's code)."""

from django.db import migrations


def move_counter_to_core(app_label: str, model_name: str, sequence: str) -> migrations.RunPython:
    """Copy an app's own (prefix, year, last) counter rows into core.ReferenceCounter as `sequence`.

    Reversible: unapplied, the rows go back to the app's table and leave core's.
    """

    def forward(apps, schema_editor):
        old, new = apps.get_model(app_label, model_name), apps.get_model("core", "ReferenceCounter")
        for row in old.objects.all():
            new.objects.create(sequence=sequence, prefix=row.prefix, year=row.year, last=row.last)

    def backward(apps, schema_editor):
        old, new = apps.get_model(app_label, model_name), apps.get_model("core", "ReferenceCounter")
        for row in new.objects.filter(sequence=sequence):
            old.objects.create(prefix=row.prefix, year=row.year, last=row.last)
        new.objects.filter(sequence=sequence).delete()

    return migrations.RunPython(forward, backward)
