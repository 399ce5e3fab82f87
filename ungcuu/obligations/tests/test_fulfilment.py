"""record_fulfilment, the function other apps call when a drill, scan, plan version or report exists."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ungcuu.obligations import services
from ungcuu.obligations.engine import generate_occurrences, mark_overdue
from ungcuu.obligations.models import EvidenceKind, Occurrence, OccurrenceEvent
from ungcuu.organizations.models import Kind

D = datetime.date
Status = Occurrence.Status


def test_drill_fulfils_the_live_fire_occurrence_of_its_period(manager, org_a, system_a):
    occurrence = services.record_fulfilment(
        actor=manager, code="LIVE_FIRE_DRILL", organization=org_a, system=system_a,
        on=D(2026, 5, 12), evidence_kind=EvidenceKind.DRILL, note="Diễn tập DDoS",
    )  # fmt: skip
    assert occurrence.status == Status.DONE
    assert (occurrence.period_start, occurrence.due_on) == (D(2026, 1, 1), D(2026, 12, 31))
    assert occurrence.system == system_a and occurrence.organization == org_a
    assert occurrence.done_on == D(2026, 5, 12) and occurrence.done_by == manager
    assert occurrence.events.filter(kind=OccurrenceEvent.Kind.DONE).exists()


def test_fulfilment_closes_the_generated_occurrence_rather_than_making_another(manager, org_a, system_a):
    generate_occurrences(until=D(2026, 12, 31), now=D(2026, 1, 1))
    before = Occurrence.objects.count()
    services.record_fulfilment(
        actor=manager, code="VULN_SCAN_THREAT_HUNT", organization=org_a, system=system_a,
        on=D(2026, 8, 1), evidence_kind=EvidenceKind.FILE, note="scan.pdf",
    )  # fmt: skip
    assert Occurrence.objects.count() == before
    scan = Occurrence.objects.get(definition__code="VULN_SCAN_THREAT_HUNT", due_on=D(2026, 12, 31))
    assert scan.status == Status.DONE


def test_second_fulfilment_in_a_done_period_closes_an_earlier_overdue_one_late(manager, org_a, system_a):
    generate_occurrences(since=D(2026, 1, 1), until=D(2026, 12, 31), now=D(2026, 7, 2))
    mark_overdue(D(2026, 7, 2))
    kw = {"actor": manager, "code": "VULN_SCAN_THREAT_HUNT", "organization": org_a, "system": system_a,
          "evidence_kind": EvidenceKind.OTHER, "note": "x"}  # fmt: skip
    current = services.record_fulfilment(on=D(2026, 7, 5), **kw)
    late = services.record_fulfilment(on=D(2026, 7, 6), **kw)
    assert current.due_on == D(2026, 12, 31)
    assert late.due_on == D(2026, 6, 30) and late.was_late
    again = services.record_fulfilment(on=D(2026, 7, 7), **kw)
    assert again.pk == current.pk and again.done_on == D(2026, 7, 5)


def test_organization_wide_duty_ignores_the_system_given(manager, org_a, system_a):
    occurrence = services.record_fulfilment(
        actor=manager, code="AGENCY_PROGRESS_REPORT", organization=org_a, system=system_a,
        on=D(2026, 3, 3), evidence_kind=EvidenceKind.REPORT,
    )  # fmt: skip
    assert occurrence.system is None and occurrence.due_on == D(2026, 6, 30)


def test_form05_periods_follow_its_fixed_dates(manager, org_a):
    org_a.is_network_member = True
    org_a.save()
    kw = {"actor": manager, "code": "NETWORK_MEMBER_SUMMARY_FORM05", "organization": org_a,
          "evidence_kind": EvidenceKind.REPORT}  # fmt: skip
    june = services.record_fulfilment(on=D(2026, 6, 20), **kw)
    december = services.record_fulfilment(on=D(2026, 6, 21), **kw)
    assert (june.period_start, june.due_on) == (D(2025, 12, 16), D(2026, 6, 20))
    assert (december.period_start, december.due_on) == (D(2026, 6, 21), D(2026, 12, 15))


def test_no_definition_applies_returns_none(manager, org_a, system_b):
    assert services.record_fulfilment(
        actor=manager, code="NO_SUCH_CODE", organization=org_a, on=D(2026, 1, 1),
        evidence_kind=EvidenceKind.OTHER,
    ) is None  # fmt: skip
    # level 2 system: no live-fire drill owed
    assert services.record_fulfilment(
        actor=manager, code="LIVE_FIRE_DRILL", organization=system_b.operator, system=system_b,
        on=D(2026, 1, 1), evidence_kind=EvidenceKind.DRILL,
    ) is None  # fmt: skip
    # form 05 is for network members only
    assert services.record_fulfilment(
        actor=manager, code="NETWORK_MEMBER_SUMMARY_FORM05", organization=org_a, on=D(2026, 1, 1),
        evidence_kind=EvidenceKind.REPORT,
    ) is None  # fmt: skip
    assert not Occurrence.objects.exists()


def test_wrong_evidence_kind_is_refused_and_nothing_written(manager, org_a, system_a):
    with pytest.raises(ValidationError) as error:
        services.record_fulfilment(
            actor=manager, code="LIVE_FIRE_DRILL", organization=org_a, system=system_a,
            on=D(2026, 1, 1), evidence_kind=EvidenceKind.SCAN,
        )  # fmt: skip
    assert "evidence_kind" in error.value.message_dict
    assert not Occurrence.objects.exists()


def test_linked_evidence_from_the_wrong_app_is_refused(manager, org_a, system_a):
    with pytest.raises(ValidationError):
        services.record_fulfilment(
            actor=manager, code="LIVE_FIRE_DRILL", organization=org_a, system=system_a,
            on=D(2026, 1, 1), evidence_kind=EvidenceKind.DRILL, evidence=org_a,
        )  # fmt: skip
    assert not Occurrence.objects.exists()


def test_linked_evidence_is_stored_through_the_generic_relation(manager, org_a, system_a):
    occurrence = services.record_fulfilment(
        actor=manager, code="LIVE_FIRE_DRILL", organization=org_a, system=system_a,
        on=D(2026, 1, 1), evidence_kind=EvidenceKind.OTHER, evidence=system_a,
    )  # fmt: skip
    assert Occurrence.objects.get(pk=occurrence.pk).evidence == system_a


def test_staff_change_notice_is_created_done(org_a):
    occurrence = services.notify_staff_change(organization=org_a, on=D(2026, 4, 1))
    assert occurrence.status == Status.DONE and occurrence.period_start == D(2026, 4, 1)
    assert occurrence.definition.code == "STAFF_CHANGE_NOTICE"
    same_day = services.notify_staff_change(organization=org_a, on=D(2026, 4, 1))
    assert Occurrence.objects.count() == 1 and same_day.pk == occurrence.pk


def test_staff_change_of_an_organization_that_owes_no_notice_is_ignored(org_a):
    org_a.kind = Kind.FINANCE
    org_a.save()
    assert services.notify_staff_change(organization=org_a, on=D(2026, 4, 1)) is None


def test_level_change_opens_one_dossier_occurrence_until_fulfilled(manager, org_a, system_a):
    first = services.notify_level_change(system=system_a, on=D(2026, 2, 1))
    assert first.status == Status.DUE and first.due_on == D(2026, 3, 3)
    assert services.notify_level_change(system=system_a, on=D(2026, 2, 10)).pk == first.pk
    done = services.record_fulfilment(
        actor=manager, code="LEVEL_DOSSIER", organization=org_a, system=system_a, on=D(2026, 2, 20),
        evidence_kind=EvidenceKind.FILE, note="QĐ 12/QĐ-UBND",
    )  # fmt: skip
    assert done.pk == first.pk and done.status == Status.DONE
    assert services.notify_level_change(system=system_a, on=D(2026, 9, 1)).pk != first.pk
