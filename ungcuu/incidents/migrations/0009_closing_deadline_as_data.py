"""A closing deadline exists as data (issue 13 point 8): the law sets no number for handling or closing
(DOMAIN.md §e: "No hour limits were verified"), so the CLOSE policy is seeded off; a province that sets one
turns it on and gives its hours in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("incidents", "DeadlinePolicy").objects.get_or_create(
        code="CLOSE",
        defaults={"hours": 30 * 24, "is_active": False,
                  "source": "No number in the law (DOMAIN.md §e); set by the province if it sets one"},
    )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_severity_reasons_name_harms_in_words")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
