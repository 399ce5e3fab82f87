"""Every rule-bearing change in reports: drafting, editing, submitting, accepting and returning a unit's
periodic report, and recording an incident's estimated damage for form 05.

A unit's responders draft; its manager submits (the report speaks for the unit); the specialised unit's
coordinators accept or return it. Submission freezes the figures and fulfils the unit's reporting duty in
the obligations app. Each step writes a PeriodicReportEvent and queues its notification in the same
transaction (notifications are an outbox: nothing leaves if the step rolls back).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ungcuu.accounts.models import User
from ungcuu.core.errors import InvalidTransition
from ungcuu.core.nd30.model import symbol_of
from ungcuu.core.periods import Period
from ungcuu.core.references import next_number
from ungcuu.incidents.models import Incident
from ungcuu.incidents.models import TimelineEvent as IncidentEvent
from ungcuu.incidents.timeline import record
from ungcuu.notifications.services import notify
from ungcuu.obligations.services import record_fulfilment
from ungcuu.organizations import access
from ungcuu.organizations.models import Membership, Organization
from ungcuu.reports import builders, builds, jobs
from ungcuu.reports.access import Scope, can_decide, can_draft, can_record_damage, can_submit
from ungcuu.reports.models import (
    DocumentBuild,
    IncidentDamage,
    PeriodicReport,
    PeriodicReportEvent,
    ReportKind,
    Span,
    Status,
    covered_period,
)
from ungcuu.reports.serialize import freeze

Event = PeriodicReportEvent.Kind
# The obligation each kind of report fulfils (taxonomy recurring_obligations).
OBLIGATIONS = {
    ReportKind.PROGRESS: "AGENCY_PROGRESS_REPORT",
    ReportKind.FORM05: "NETWORK_MEMBER_SUMMARY_FORM05",
}
TEXT_FIELDS = ("narrative", "difficulties", "proposals", "document_number", "signer_title", "signer_name")


def period_of(span: str, year: int, half: int | None, kind: str = ReportKind.PROGRESS) -> Period:
    return covered_period(kind, span, year, half)


# --- periodic reports ------------------------------------------------------------------------------------


@transaction.atomic
def start_periodic_report(
    *, actor, organization: Organization, kind: str, span: str, year: int, half: int | None = None
) -> PeriodicReport:
    """A draft for one organization and period; the figures are built live until it is submitted."""
    access.require(can_draft(actor, organization))
    _validate_period(kind, span, year, half)
    period = period_of(span, year, half, kind)
    report = PeriodicReport(
        organization=organization,
        kind=kind,
        span=span,
        year=year,
        half=half if span == Span.HALF_YEAR else None,
        period_start=period.start,
        period_end=period.end,
        created_by=actor,
    )
    report.validate_constraints()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a second click or a colleague at the same moment
        raise ValidationError(_("This organization already has this report for this period.")) from exc
    _event(report, Event.CREATED, actor)
    return report


def _validate_period(kind: str, span: str, year: int, half: int | None) -> None:
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = [_("Unknown kind of report.")]
    if span not in Span.values:
        errors["span"] = [_("Choose six months or a year.")]
    elif kind == ReportKind.FORM05 and span == Span.HALF_YEAR and half == 2:
        # TT20 Art. 6: form 05 has a half-year report (due 20 June) and an annual one, no second half.
        errors["half"] = [
            _("Form 05 has no second-half report: the annual report (due 15 December) covers it.")
        ]
    elif span == Span.HALF_YEAR and half not in (1, 2):
        errors["half"] = [_("Choose the first or the second half of the year.")]
    if not errors and not period_of(span, year, half, kind).has_started():
        errors["year"] = [_("This period has not started yet.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_periodic_report(*, actor, report: PeriodicReport, **texts: str) -> PeriodicReport:
    """The unit's own text: assessment, difficulties, proposals, number and signer (drafts only)."""
    report = _lock(report)
    access.require(can_draft(actor, report.organization))
    if not report.is_editable:
        raise InvalidTransition(_("A submitted report can no longer be changed."))
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in texts.items():
        setattr(report, name, (value or "").strip())
    report.full_clean(exclude=["organization", "created_by", "submitted_by", "decided_by"])
    report.save()
    _event(report, Event.UPDATED, actor)
    return report


def _number_and_sign(report: PeriodicReport, actor, now) -> None:
    """A sent report carries a number and a signer (DOMAIN.md §l, Decree 30/2020 Appendix I): the number
    typed by the unit, or the next in the platform's register of the unit's outgoing reports for the year
    ("05/BC-SYT"); the signer named, or the manager who sends it (family name first)."""
    if not report.document_number.strip():
        issuer = report.organization.name_on(timezone.localtime(now).date())
        number = next_number("outgoing-report", report.organization.code, now=now)
        report.document_number = f"{number:02d}/BC-{symbol_of(issuer)}"
    if not report.signer_name.strip():
        report.signer_name = actor.full_name


@transaction.atomic
def submit_periodic_report(*, actor, report: PeriodicReport) -> PeriodicReport:
    """Send the report to the specialised unit: freeze the figures, fulfil the duty, tell the coordinators."""
    report = _lock(report)
    access.require(can_submit(actor, report))
    report.check_transition(Status.SUBMITTED)
    now = timezone.now()
    report.figures = freeze_figures(report)
    _number_and_sign(report, actor, now)
    report.status, report.submitted_at, report.submitted_by = Status.SUBMITTED, now, actor
    report.decided_at, report.decided_by = None, None
    report.save()
    _event(report, Event.SUBMITTED, actor)
    record_fulfilment(
        actor=actor,
        code=OBLIGATIONS[ReportKind(report.kind)],
        organization=report.organization,
        on=timezone.localtime(now).date(),
        evidence_kind="report",
        evidence=report,
    )
    _tell(report, actor, users=coordinators(), step=Event.SUBMITTED)
    return report


def freeze_figures(report: PeriodicReport) -> dict:
    """The figures as they stand now, in the platform's language (what the unit sends is final): counted at
    this moment, never a kept snapshot (`fresh`), which also refreshes the snapshot the pages read."""
    scope = Scope.of(report.organization)
    period = period_of(report.span, report.year, report.half, report.kind)
    with translation.override(settings.LANGUAGE_CODE):
        if report.kind == ReportKind.FORM05:
            return freeze(builders.build_form05(scope=scope, period=period, fresh=True))
        return freeze(builders.build_unit_report(scope=scope, period=period, fresh=True))


@transaction.atomic
def accept_periodic_report(*, actor, report: PeriodicReport, note: str = "") -> PeriodicReport:
    """The specialised unit takes the report into the province's consolidation."""
    return _decide(actor, report, Status.ACCEPTED, note.strip())


@transaction.atomic
def return_periodic_report(*, actor, report: PeriodicReport, reason: str) -> PeriodicReport:
    """Back to the unit for revision, with the reason; the unit edits and submits again."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say what the unit must revise.")]})
    return _decide(actor, report, Status.RETURNED, reason.strip())


def _decide(actor, report: PeriodicReport, status: str, note: str) -> PeriodicReport:
    report = _lock(report)
    access.require(can_decide(actor, report))
    report.check_transition(status)
    report.status, report.decided_at, report.decided_by = status, timezone.now(), actor
    report.decision_note = note
    report.save()
    step = Event.ACCEPTED if status == Status.ACCEPTED else Event.RETURNED
    _event(report, step, actor, note)
    _tell(report, actor, users=unit_managers(report), step=step, note=note)
    return report


def _lock(report: PeriodicReport) -> PeriodicReport:
    return PeriodicReport.objects.select_for_update().select_related("organization").get(pk=report.pk)


def _event(report: PeriodicReport, kind: str, actor, note: str = "") -> PeriodicReportEvent:
    return PeriodicReportEvent.objects.create(report=report, kind=kind, actor=actor, note=note)


def coordinators() -> list[User]:
    return list(User.objects.filter(platform_role=User.PlatformRole.COORDINATOR, is_active=True))


def unit_managers(report: PeriodicReport) -> list[User]:
    managers = User.objects.filter(
        is_active=True,
        memberships__organization=report.organization,
        memberships__role=Membership.Role.MANAGER,
    )
    people = {u.pk: u for u in managers}
    if report.submitted_by_id and report.submitted_by is not None:
        people.setdefault(report.submitted_by_id, report.submitted_by)
    return list(people.values())


def _tell(report: PeriodicReport, actor, *, users: list[User], step: str, note: str = "") -> None:
    """Queue the in-app and e-mail notice in the platform's language (it is read by others)."""
    with translation.override(settings.LANGUAGE_CODE):
        headlines: dict[str, str] = {
            Event.SUBMITTED: _("Periodic report submitted"),
            Event.ACCEPTED: _("Periodic report accepted"),
            Event.RETURNED: _("Periodic report returned for revision"),
        }
        headline = headlines[step]
        subject = f"{headline}: {report.organization} · {report.period_label}"
        body = "\n".join(
            filter(None, [f"{report.get_kind_display()} · {report.organization}", report.period_label, note])
        )
        notify(
            event=f"periodic_report_{step}",
            subject=subject,
            body=body,
            users=[u for u in users if u.pk != actor.pk],
            link=reverse("reports:periodic_detail", args=[report.pk]),
            actor=actor,
        )


# --- damage ------------------------------------------------------------------------------------------


@transaction.atomic
def record_damage(
    *,
    actor,
    incident: Incident,
    amount_vnd: int,
    foreign_help: bool,
    foreign_helpers: str = "",
    note: str = "",
) -> IncidentDamage:
    """Form 05's estimated damage and foreign help for one incident; the incident's timeline keeps a note."""
    access.require(can_record_damage(actor, incident))
    helpers = (foreign_helpers or "").strip() if foreign_help else ""
    if foreign_help and not helpers:
        raise ValidationError({"foreign_helpers": [_("Name the foreign organizations that helped.")]})
    damage = IncidentDamage.objects.select_for_update().filter(incident=incident).first() or IncidentDamage(
        incident=incident
    )
    damage.amount_vnd, damage.foreign_help, damage.foreign_helpers = amount_vnd, foreign_help, helpers
    damage.note, damage.updated_by = (note or "").strip(), actor
    damage.full_clean(exclude=["incident", "updated_by"])
    damage.save()
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Estimated damage for form 05 recorded: %(amount)s VND%(foreign)s.") % {
            "amount": f"{amount_vnd:,}".replace(",", "."),
            "foreign": _(" (with foreign help)") if foreign_help else "",
        }
    record(incident, IncidentEvent.Kind.NOTE, actor=actor, message=message, damage_id=damage.pk)
    return damage


def request_document_build(*, actor, page: str, fmt: str) -> DocumentBuild:
    """The build of `page` in `fmt` for `actor`: the one already under way (asking twice while it runs
    reuses it), else a new one, queued when the transaction commits. The page's gate decides first."""
    builds.check_page(actor, page)
    working = [DocumentBuild.State.PENDING, DocumentBuild.State.RUNNING]
    with transaction.atomic():
        running = (
            DocumentBuild.objects.visible_to(actor)
            .filter(page=page, format=fmt, state__in=working)
            .order_by("-created_at")
            .first()
        )
        if running is not None and not running.is_stale:
            return running
        build = DocumentBuild.objects.create(requested_by=actor, page=page, format=fmt)
        transaction.on_commit(partial(jobs.build_document.enqueue, build.pk))
    return build
