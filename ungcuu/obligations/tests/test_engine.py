"""The schedule: generating occurrences, overdue flags and reminders, walked day by day through two years."""

import datetime
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta

from ungcuu.demo.generator import build_demo_province
from ungcuu.notifications.models import Notification
from ungcuu.obligations import engine, reminders, services
from ungcuu.obligations.models import EvidenceKind, ObligationDefinition, Occurrence, Reminder
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem

D = datetime.date
DAY = datetime.timedelta(days=1)
Status = Occurrence.Status


def _month_end(day: datetime.date) -> bool:
    return (day + DAY).day == 1


def expected_due_dates(definition: ObligationDefinition, first: datetime.date, last: datetime.date):
    """Brute force, independent of periods.py: every day that is a due date of the definition."""
    out, day = [], first
    while day <= last:
        if definition.fixed_dates:
            hit = f"{day:%m-%d}" in definition.fixed_dates
        else:
            hit = _month_end(day) and day.month % definition.period_months == 0
        if hit:
            out.append(day)
        day += DAY
    return out


def expected_targets(definition: ObligationDefinition) -> list[tuple[int | None, int | None]]:
    if definition.applies_to_systems:
        systems = InformationSystem.objects.filter(
            is_active=True, security_level__gte=definition.min_security_level
        )
        return [(None, pk) for pk in systems.values_list("pk", flat=True)]
    orgs = [
        o for o in Organization.objects.filter(is_active=True)
        if o.kind in definition.applies_to_kinds
        or (definition.applies_to_network_members and o.is_network_member)
    ]  # fmt: skip
    return [(o.pk, None) for o in orgs]


@pytest.fixture
def province(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo_province(2026)
    # Occurrences the demo province's own history may have raised are not part of this walk.
    Occurrence.objects.all().delete()


def test_two_years_of_schedule_for_the_demo_province(province, settings):
    # Calendar-year drills: under "rolling" a drill falls due 12 months after the registry's last drill
    # (obligations/drills.py; tests/test_drills.py), which this brute-force schedule does not model.
    settings.DRILL_YEAR_RULE = "calendar"
    start, end = D(2025, 1, 1), D(2026, 12, 31)
    system = InformationSystem.objects.filter(security_level__gte=3).order_by("pk").first()
    created = 0
    day = start
    while day <= end:
        summary = engine.run_obligations(now=day)
        created += summary.created
        if day == D(2025, 5, 20):  # a unit scans on time: its later reminders must not go out
            services.record_fulfilment(
                actor=None, code="VULN_SCAN_THREAT_HUNT", organization=system.operator, system=system,
                on=day, evidence_kind=EvidenceKind.SCAN,
            )  # fmt: skip
        day += DAY

    horizon = end + relativedelta(months=engine.HORIZON_MONTHS)
    expected = Counter()
    for definition in ObligationDefinition.objects.filter(active=True, is_event_driven=False):
        dues = expected_due_dates(definition, start, horizon)
        assert dues, definition.code
        for org, sys in expected_targets(definition):
            for due in dues:
                expected[(definition.code, org, sys, due)] += 1
    actual = Counter(
        (code, None if sys else org, sys, due)
        for code, org, sys, due in Occurrence.objects.values_list(
            "definition__code", "organization_id", "system_id", "due_on"
        )
    )
    assert actual == expected  # every expected occurrence, each exactly once, nothing else
    assert created == sum(expected.values())

    # A second run on any day creates nothing, flags nothing and sends nothing.
    assert engine.run_obligations(now=end) == engine.RunSummary(0, 0, 0)

    # Overdue: everything due before the last day and not done; nothing else.
    scanned = Occurrence.objects.get(
        definition__code="VULN_SCAN_THREAT_HUNT", system=system, due_on=D(2025, 6, 30)
    )
    assert scanned.status == Status.DONE
    overdue = Occurrence.objects.filter(due_on__lt=end).exclude(pk=scanned.pk)
    assert set(overdue.values_list("status", flat=True)) == {Status.OVERDUE}
    assert set(Occurrence.objects.filter(due_on__gte=end).values_list("status", flat=True)) == {Status.DUE}

    # Reminders: once per lead time, on the day it is reached; missed lead times logged as skipped.
    for occurrence in Occurrence.objects.prefetch_related("reminders").select_related("definition"):
        sent = {r.lead_days: r for r in occurrence.reminders.all()}
        for lead in occurrence.definition.lead_times:
            reach = occurrence.due_on - datetime.timedelta(days=lead)
            if occurrence.pk == scanned.pk and reach > D(2025, 5, 20):
                assert lead not in sent
            elif start < reach <= end:
                assert not sent[lead].skipped, (occurrence, lead)
            elif reach > end:
                assert lead not in sent
    sent = Reminder.objects.filter(skipped=False)
    notified = Notification.objects.filter(event=reminders.REMINDER_EVENT)
    assert set(notified.values_list("dedupe_key", flat=True)) == set(
        sent.values_list("message_key", flat=True)
    )
    per_recipient = Counter(notified.values_list("dedupe_key", "channel", "recipient_key"))
    assert max(per_recipient.values()) == 1  # nobody got the same reminder twice
