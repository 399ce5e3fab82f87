"""Periodic reports: drafted by the unit, submitted by its manager (figures frozen, duty fulfilled),
accepted or returned by the specialised unit; damage recorded for form 05. Every refusal writes nothing."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ungcuu.core.errors import InvalidTransition
from ungcuu.incidents.models import TimelineEvent
from ungcuu.notifications.models import Notification
from ungcuu.obligations.models import Occurrence
from ungcuu.reports import documents, services
from ungcuu.reports.models import IncidentDamage, PeriodicReport, PeriodicReportEvent
from ungcuu.reports.tests.world import at

pytestmark = pytest.mark.django_db

JULY = at(7, 5)


def start(actor, organization, **extra):
    kwargs = {"kind": "progress", "span": "half_year", "year": 2026, "half": 1} | extra
    with time_machine.travel(JULY, tick=False):
        return services.start_periodic_report(actor=actor, organization=organization, **kwargs)


def reload(report):
    return PeriodicReport.objects.get(pk=report.pk)


def test_unit_drafts_and_manager_submits_with_frozen_figures(world, org_a, responder, manager, coordinator):
    report = start(responder, org_a)
    with time_machine.travel(JULY + datetime.timedelta(hours=1), tick=False):
        services.update_periodic_report(actor=responder, report=report, narrative="Đơn vị đã xử lý 5 sự cố.")
    with time_machine.travel(JULY + datetime.timedelta(days=1), tick=False):
        services.submit_periodic_report(actor=manager, report=report)

    report = reload(report)
    assert report.status == "submitted" and report.submitted_by == manager
    assert report.figures["incidents"]["total"] == 5
    assert report.figures["incidents"]["form05_total"]["damage_vnd"] == 25_000_000
    assert [e.kind for e in report.events.all()] == ["created", "updated", "submitted"]
    assert Notification.objects.filter(event="periodic_report_submitted", recipient_user=coordinator).exists()


def test_frozen_figures_do_not_follow_later_changes(world, org_a, manager, coordinator):
    report = start(manager, org_a)
    services.submit_periodic_report(actor=manager, report=report)
    services.record_damage(actor=coordinator, incident=world.a4, amount_vnd=7_000_000, foreign_help=False)

    assert reload(report).figures["incidents"]["form05_total"]["damage_vnd"] == 25_000_000


def test_submitting_fulfils_the_reporting_duty_in_the_obligations_app(world, org_a, manager):
    report = start(manager, org_a)
    with time_machine.travel(at(6, 18), tick=False):
        services.submit_periodic_report(actor=manager, report=report)

    occurrence = Occurrence.objects.get(definition__code="AGENCY_PROGRESS_REPORT", organization=org_a)
    assert occurrence.status == "done" and occurrence.evidence_id == report.pk
    assert occurrence.done_on == datetime.date(2026, 6, 18)


def test_form05_submission_fulfils_the_form05_duty_of_a_network_member(world, org_a, manager):
    org_a.is_network_member = True
    org_a.save()
    report = start(manager, org_a, kind="form05")
    with time_machine.travel(at(6, 18), tick=False):
        services.submit_periodic_report(actor=manager, report=report)

    assert reload(report).figures["total"]["count"] == 4
    occurrence = Occurrence.objects.get(definition__code="NETWORK_MEMBER_SUMMARY_FORM05", organization=org_a)
    assert occurrence.status == "done"


def test_coordinator_accepts_or_returns_with_a_reason(world, org_a, org_b, manager, outsider, coordinator):
    accepted, returned = start(manager, org_a), start(outsider, org_b)
    for report, actor in ((accepted, manager), (returned, outsider)):
        services.submit_periodic_report(actor=actor, report=report)

    services.accept_periodic_report(actor=coordinator, report=accepted, note="Đã tổng hợp.")
    with pytest.raises(ValidationError):
        services.return_periodic_report(actor=coordinator, report=returned, reason="  ")
    services.return_periodic_report(actor=coordinator, report=returned, reason="Bổ sung số liệu tháng 6.")

    assert reload(accepted).status == "accepted" and reload(returned).status == "returned"
    assert Notification.objects.filter(event="periodic_report_returned", recipient_user=outsider).exists()
    services.update_periodic_report(actor=outsider, report=returned, proposals="Đã bổ sung.")
    services.submit_periodic_report(actor=outsider, report=returned)
    assert reload(returned).status == "submitted" and reload(returned).decided_at is None


def test_viewer_and_outsider_cannot_draft_or_submit_and_nothing_is_written(org_a, viewer, outsider, manager):
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            start(actor, org_a)
    report = start(manager, org_a)
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.submit_periodic_report(actor=actor, report=report)
        with pytest.raises(PermissionDenied):
            services.update_periodic_report(actor=actor, report=report, narrative="x")
    assert reload(report).status == "draft" and reload(report).narrative == ""
    assert PeriodicReport.objects.count() == 1 and PeriodicReportEvent.objects.count() == 1


def test_unit_cannot_accept_its_own_report_and_coordinator_cannot_submit_it(org_a, manager, coordinator):
    report = start(manager, org_a)
    with pytest.raises(PermissionDenied):
        services.submit_periodic_report(actor=coordinator, report=report)
    services.submit_periodic_report(actor=manager, report=report)
    with pytest.raises(PermissionDenied):
        services.accept_periodic_report(actor=manager, report=report)
    assert reload(report).status == "submitted"


def test_illegal_moves_are_refused(org_a, manager, coordinator):
    report = start(manager, org_a)
    with pytest.raises(InvalidTransition):
        services.accept_periodic_report(actor=coordinator, report=report)
    services.submit_periodic_report(actor=manager, report=report)
    with pytest.raises(InvalidTransition):
        services.submit_periodic_report(actor=manager, report=report)
    with pytest.raises(InvalidTransition):
        services.update_periodic_report(actor=manager, report=report, narrative="sửa sau khi gửi")
    assert reload(report).narrative == ""


@translation.override("en")  # matched in English, whatever language an earlier test left active
def test_one_report_per_period_and_no_report_for_a_period_not_begun(org_a, manager):
    start(manager, org_a)
    with pytest.raises(ValidationError, match="already has this report"):
        start(manager, org_a)
    with pytest.raises(ValidationError) as error:
        start(manager, org_a, year=2027)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        start(manager, org_a, half=None)
    assert "half" in error.value.message_dict
    assert PeriodicReport.objects.count() == 1


def test_record_damage_keeps_one_row_and_notes_the_incident_timeline(world, coordinator):
    services.record_damage(actor=coordinator, incident=world.a2, amount_vnd=1_000_000, foreign_help=False)
    services.record_damage(
        actor=coordinator,
        incident=world.a2,
        amount_vnd=3_000_000,
        foreign_help=True,
        foreign_helpers="CERT-EU",
    )

    damage = IncidentDamage.objects.get(incident=world.a2)
    assert (damage.amount_vnd, damage.foreign_help, damage.foreign_helpers) == (3_000_000, True, "CERT-EU")
    notes = world.a2.timeline.filter(kind=TimelineEvent.Kind.NOTE, data__damage_id=damage.pk)
    assert notes.count() == 2


def test_damage_needs_helpers_named_and_the_right_person(world, viewer, responder, outsider, coordinator):
    with pytest.raises(ValidationError):
        services.record_damage(actor=coordinator, incident=world.a5, amount_vnd=1, foreign_help=True)
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.record_damage(actor=actor, incident=world.a5, amount_vnd=1, foreign_help=False)
    assert not IncidentDamage.objects.filter(incident=world.a5).exists()
    services.record_damage(actor=responder, incident=world.a5, amount_vnd=2_000_000, foreign_help=False)
    assert IncidentDamage.objects.get(incident=world.a5).amount_vnd == 2_000_000


def test_a_sent_report_carries_a_register_number_and_its_signer_nd30_appendix_i(
    world, org_a, responder, manager
):
    """DOMAIN.md §l: a report issued in a body's name has a number ("05/BC-STNA") and a signer's name."""
    first, second = start(responder, org_a), start(responder, org_a, half=None, span="annual", year=2025)
    with time_machine.travel(JULY + datetime.timedelta(days=1), tick=False):
        services.update_periodic_report(actor=responder, report=second, document_number="125/BC-STNA")
        services.submit_periodic_report(actor=manager, report=first)
        services.submit_periodic_report(actor=manager, report=second)
    first, second = reload(first), reload(second)
    assert (first.document_number, first.signer_name) == ("01/BC-STNA", manager.full_name)
    assert second.document_number == "125/BC-STNA"  # a number the unit typed is kept
    document = documents.periodic_document(first)
    assert document.head.number == "Số: 01/BC-STNA" and document.head.signature.name == manager.full_name
