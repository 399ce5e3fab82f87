"""Severity reasons written before issue 13 listed harms by their codes ("service_disruption"): name them
in Vietnamese, as new reasons do (DOMAIN.md §c). Only the code words change; the rest of each reason stays."""

from django.db import migrations
from django.utils import translation

from ungcuu.incidents.models import Incident


def words(apps, schema_editor):
    model = apps.get_model("incidents", "Incident")
    with translation.override("vi"):
        labels = {code: str(label) for code, label in Incident.Harm.choices}
    for incident in model.objects.only("pk", "harms", "severity_reasons").iterator():
        if not incident.harms:
            continue
        reasons = []
        for reason in incident.severity_reasons or []:
            for code, label in labels.items():
                reason = reason.replace(code, label)
            reasons.append(reason)
        if reasons != incident.severity_reasons:
            model.objects.filter(pk=incident.pk).update(severity_reasons=reasons)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0007_seed_emergency_and_serious_chain")]
    operations = [migrations.RunPython(words, migrations.RunPython.noop)]
