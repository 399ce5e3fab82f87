from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# The statuses at or past containment when this migration was written (models.CONTAINED_OR_LATER).
CONTAINED_OR_LATER = [
    "contained",
    "eradicated",
    "restored",
    "evaluated",
    "containment",
    "root_cause",
    "evaluation",
    "closed",
]


def backfill(apps, schema_editor):
    """Stamp the incidents that reached containment before the column existed, from their timelines."""
    Incident = apps.get_model("incidents", "Incident")
    TimelineEvent = apps.get_model("incidents", "TimelineEvent")
    first = TimelineEvent.objects.filter(
        incident=OuterRef("pk"), kind="status", data__to__in=CONTAINED_OR_LATER
    )
    Incident.objects.filter(contained_at__isnull=True, status__in=[*CONTAINED_OR_LATER, "merged"]).update(
        contained_at=Subquery(first.order_by("at").values("at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_reference_counter_moves_to_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="contained_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="contained at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
