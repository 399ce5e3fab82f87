"""Seed the reporting chain (DOMAIN.md §d) and the deadlines; both stay editable in the admin."""

from django.db import migrations

RULES = [
    # (name, event, recipient, is_copy, category_prefix, source)
    ("Operator → owner", "report_received", "OWNER", False, "", "QĐ05 Art. 11.1a; S0 §II.4a"),
    ("Operator → specialised unit", "report_received", "SPECIALISED_UNIT", False, "", "QĐ05 Art. 11.1a"),
    ("Operator → national coordinator (copy)", "report_received", "NATIONAL_COORDINATOR", True, "", "S0 §II.4a"),
    ("Acknowledgement to the reporter", "report_received", "REPORTER", False, "", "QĐ05 Art. 12.1c"),
    ("Specialised unit → owner", "classified", "OWNER", False, "", "S0 §II.4a"),
    ("Specialised unit → operator", "classified", "OPERATOR", False, "", "QĐ05 Art. 12.1b"),
    ("Specialised unit → steering committee", "classified", "PROV_STEERING", False, "", "S0 §II.4a"),
    ("Specialised unit → national coordinator", "classified", "NATIONAL_COORDINATOR", False, "", "S0 §II.4a"),
    ("Serious → steering committee", "serious", "PROV_STEERING", False, "", "QĐ05 Art. 14; S0 §II.4a"),
    ("Serious → national coordinator", "serious", "NATIONAL_COORDINATOR", False, "", "QĐ05 Art. 14"),
    ("Signs of crime → police", "crime_signs", "POLICE", False, "", "S4 Art. 7.1e"),
    ("Secret-holding target → police", "secret_target", "POLICE", False, "", "S2 §II.2"),
    ("Secret-holding target → military command", "secret_target", "MILITARY", False, "", "S2 §II.2"),
    ("Province cannot cope → national coordinator", "exceeds_capacity", "NATIONAL_COORDINATOR", False, "",
     "S4 Art. 7.1d"),
    ("Closed → owner", "closed", "OWNER", False, "", "QĐ05 Art. 12.1g"),
    ("Closed → national coordinator (summary)", "closed", "NATIONAL_COORDINATOR", True, "", "QĐ05 Art. 12.1g"),
]

DEADLINES = [
    # 5 days of detection (taxonomy OPERATOR_REPORT, [V]).
    ("OPERATOR_REPORT", 120, "QĐ05 Art. 11.1a; TT20 Art. 9"),
    # "Immediately" has no number in the law: 2 h is this platform's default [U], editable.
    ("INTAKE_ACK", 2, "QĐ05 Art. 12.1c (immediately; hours chosen by the province)"),
    ("INTAKE_CLASSIFY", 24, "QĐ05 Art. 12.1d (no number in the law; chosen by the province)"),
]


def seed(apps, schema_editor):
    RoutingRule = apps.get_model("incidents", "RoutingRule")
    DeadlinePolicy = apps.get_model("incidents", "DeadlinePolicy")
    for name, event, recipient, is_copy, prefix, source in RULES:
        RoutingRule.objects.get_or_create(
            name=name, defaults={"event": event, "recipient": recipient, "is_copy": is_copy,
                                 "category_prefix": prefix, "source": source},
        )
    for code, hours, source in DEADLINES:
        DeadlinePolicy.objects.get_or_create(code=code, defaults={"hours": hours, "source": source})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_routing_and_deadlines")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
