"""Seed the law's flows of issue 13 as routing data (DOMAIN.md §d, §e); all stay editable in the admin.

- The province's "cannot cope" rule moves to its own event (S4 Art. 7.1d), apart from the operator's capacity.
- Emergency reporting (QĐ05 Art. 11.1a): specialised unit, owner, national coordinator; for a serious
  incident also the provincial steering committee (S0 §II.4a).
- The serious chain's top: standing agency and national steering committee (S0 §II.4a; QĐ05 Art. 14.3).
- A request for direction or support: the specialised unit; for a serious incident, upward (QĐ05 Art. 11.2,
  12.1f), answered within DIRECTION_ANSWER hours (no number in the law: the province's choice, [U]).
"""

from django.db import migrations

RULES = [
    # (name, event, recipient, is_copy, only_serious, source)
    ("Emergency → specialised unit", "emergency", "SPECIALISED_UNIT", False, False, "QĐ05 Art. 11.1a"),
    ("Emergency → owner", "emergency", "OWNER", False, False, "QĐ05 Art. 11.1a"),
    ("Emergency → national coordinator", "emergency", "NATIONAL_COORDINATOR", False, False, "QĐ05 Art. 11.1a"),
    ("Emergency (serious) → provincial steering committee", "emergency", "PROV_STEERING", False, True,
     "S0 §II.4a; QĐ05 Art. 14"),
    ("Serious → standing agency", "serious", "STANDING_AGENCY", False, False, "S0 §II.4a; QĐ05 Art. 14.3"),
    ("Serious → national steering committee", "serious", "NATIONAL_STEERING", False, False,
     "S0 §II.4a; QĐ05 Art. 14.3"),
    ("Request for direction → specialised unit", "direction_requested", "SPECIALISED_UNIT", False, False,
     "QĐ05 Art. 11.2, 12.1f"),
    ("Request for direction (serious) → provincial steering committee", "direction_requested",
     "PROV_STEERING", False, True, "QĐ05 Art. 12.1d, 12.1f; S0 §II.4a"),
    ("Request for direction (serious) → standing agency", "direction_requested", "STANDING_AGENCY", False,
     True, "QĐ05 Art. 14.3"),
]


def seed(apps, schema_editor):
    RoutingRule = apps.get_model("incidents", "RoutingRule")
    DeadlinePolicy = apps.get_model("incidents", "DeadlinePolicy")
    RoutingRule.objects.filter(event="exceeds_capacity").update(event="province_cannot_cope")
    for name, event, recipient, is_copy, only_serious, source in RULES:
        RoutingRule.objects.get_or_create(
            name=name,
            defaults={"event": event, "recipient": recipient, "is_copy": is_copy, "only_serious": only_serious,
                      "source": source},
        )
    DeadlinePolicy.objects.get_or_create(
        code="DIRECTION_ANSWER",
        defaults={"hours": 24, "source": "QĐ05 Art. 11.2, 12.1f (no number in the law; chosen by the province)"},
    )


def unseed(apps, schema_editor):
    RoutingRule = apps.get_model("incidents", "RoutingRule")
    RoutingRule.objects.filter(name__in=[rule[0] for rule in RULES]).delete()
    RoutingRule.objects.filter(event="province_cannot_cope").update(event="exceeds_capacity")
    apps.get_model("incidents", "DeadlinePolicy").objects.filter(code="DIRECTION_ANSWER").delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_emergency_support_direction"), ("organizations", "0002_national_bodies")]
    operations = [migrations.RunPython(seed, unseed)]
