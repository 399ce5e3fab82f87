"""Sections of the province's report that come from outside the incident loop: the units' own periodic
reports, the bulletin's advice, and the apps built alongside (obligations, preparedness, vulnerabilities,
advisories), each read only when that app has its models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ungcuu.advisories.models import SHARED_WITH_NETWORK, Advisory, AdvisoryTarget, TargetStatus, Tlp
from ungcuu.core.periods import Period
from ungcuu.obligations.models import Occurrence
from ungcuu.organizations.models import Kind, Organization
from ungcuu.preparedness.models import (
    Drill,
    DrillKind,
    DrillStatus,
    ResponsePlan,
    TrainingAttendee,
    TrainingCourse,
)
from ungcuu.reports.models import PeriodicReport, ReportKind, Status
from ungcuu.vulnerabilities.models import Finding, Scan
from ungcuu.vulnerabilities.severity import SEVERITY_ORDER

# Who owes the specialised unit a periodic report (taxonomy AGENCY_PROGRESS_REPORT: the operators; the
# communes run systems of their own since the district level was abolished).
REPORTING_KINDS = (Kind.OPERATOR, Kind.COMMUNE, Kind.DISTRICT_FOCAL)


# --- the units' periodic reports -----------------------------------------------------------------------


@dataclass
class UnitRow:
    organization: str
    status: str
    status_label: str
    submitted_on: str = ""
    total: int | None = None
    attacks: int | None = None
    serious: int | None = None
    report_id: int | None = None
    organization_id: int | None = None


@dataclass
class UnitProposal:
    organization: str
    text: str


@dataclass
class UnitsSection:
    """Which units reported for the period, with the figures they sent (frozen at submission)."""

    expected: int
    submitted: int
    accepted: int
    rows: list[UnitRow]
    proposals: list[UnitProposal]
    total: int = 0
    attacks: int = 0
    serious: int = 0


def reports_for(period: Period, kind: str = ReportKind.PROGRESS) -> QuerySet[PeriodicReport]:
    """The periodic reports that cover exactly this period."""
    return PeriodicReport.objects.filter(kind=kind, period_start=period.start, period_end=period.end)


def form05_period(period: Period) -> Period:
    """The form 05 period matching a calendar half or year (TT20 Art. 6): the first half's report is the
    half-year one (to 14 June), the year's and the second half's is the annual one (to 14 December)."""
    if period.span == "H1":
        return Period.reporting(period.start.year, "R6")
    if period.span in ("Y", "H2"):  # the annual report covers the second half
        return Period.reporting(period.start.year, "RY")
    return period


def expected_units() -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True, kind__in=REPORTING_KINDS)


def units_section(period: Period) -> UnitsSection:
    # A draft is the unit's own work in progress: the specialised unit sees "not submitted".
    reports = {
        r.organization_id: r
        for r in reports_for(period)
        .filter(status__in=[*SENT_STATES, Status.RETURNED])
        .select_related("organization")
    }
    expected = list(expected_units().order_by("name"))
    extra = Organization.objects.filter(pk__in=set(reports) - {o.pk for o in expected}).order_by("name")
    rows = [_unit_row(org, reports.get(org.pk)) for org in [*expected, *extra]]
    sent = [r for r in reports.values() if r.status in SENT_STATES]
    section = UnitsSection(
        expected=len(expected),
        submitted=len(sent),
        accepted=sum(1 for r in sent if r.status == Status.ACCEPTED),
        rows=rows,
        proposals=[
            UnitProposal(str(r.organization), r.proposals.strip())
            for r in sorted(sent, key=lambda r: str(r.organization))
            if r.proposals.strip()
        ],
    )
    for row in rows:
        if row.total is not None:
            section.total += row.total
            section.attacks += row.attacks or 0
            section.serious += row.serious or 0
    return section


SENT_STATES = (Status.SUBMITTED, Status.ACCEPTED)


# The consolidation's periods: the units' periodic reports cover a half or a year.
CONSOLIDATION_SPANS = ["Y", "H1", "H2"]


@dataclass
class Consolidation:
    """The specialised unit's view of a period (the consolidation page and its API): who reported, with
    their figures, and the form 05 reports sent for the matching TT20 period."""

    period: Period
    form05_period: Period
    units: UnitsSection
    form05s: QuerySet[PeriodicReport]


def consolidation(period: Period) -> Consolidation:
    form05 = form05_period(period)
    sent = reports_for(form05, ReportKind.FORM05).filter(status__in=SENT_STATES)
    return Consolidation(period, form05, units_section(period), sent.select_related("organization"))


def _unit_row(org: Organization, report: PeriodicReport | None) -> UnitRow:
    if report is None:
        return UnitRow(str(org), "missing", _("Not submitted"), organization_id=org.pk)
    row = UnitRow(
        str(org), report.status, str(report.get_status_display()), report_id=report.pk, organization_id=org.pk
    )
    if report.status not in SENT_STATES:
        return row
    row.submitted_on = (
        timezone.localtime(report.submitted_at).strftime("%d/%m/%Y") if report.submitted_at else ""
    )
    incidents = report.figures.get("incidents") or {}
    row.total = int(incidents.get("total") or 0)
    row.attacks = int((incidents.get("form05_total") or {}).get("count") or 0)
    row.serious = int(incidents.get("serious") or 0)
    return row


# --- the bulletin's advice -----------------------------------------------------------------------------


def recommendations(by_category: dict[str, int]) -> list[str]:
    """Advice for the categories seen most this period, then the standing duties."""
    advice = {
        "ATTACK.SPOOFING": _(
            "Warn staff and citizens about fake websites and phishing e-mails; report fake domains to the "
            "specialised unit so the ISP takes them down."
        ),
        "ATTACK.MALWARE": _(
            "Keep antivirus up to date on every workstation and do not open attachments from unknown senders."
        ),
        "ATTACK.ENCRYPTION": _("Keep offline backups of important data and test restoring them."),
        "ATTACK.DEFACEMENT": _(
            "Patch web portals and their plug-ins promptly and remove unused administration accounts."
        ),
        "ATTACK.UNAUTHORIZED_ACCESS": _(
            "Use strong passwords and two-factor authentication for every administrator account."
        ),
        "ATTACK.DOS": _("Agree in advance with the ISP how denial-of-service traffic will be filtered."),
    }
    seen = sorted((n, code) for code, n in by_category.items() if code in advice and n)
    out = [advice[code] for _n, code in reversed(seen)][:3]
    out.append(
        _("Scan every information system for vulnerabilities at least once every six months (Directive 18).")
    )
    out.append(_("Report every incident to the specialised unit as soon as it is detected."))
    return out


# --- sections from the apps built alongside ------------------------------------------------------------


@dataclass
class ComplianceRow:
    """One obligation: occurrences that fell due in the period, done, done on time, still overdue."""

    label: str
    due: int
    done: int
    on_time: int
    overdue: int


@dataclass
class ObligationsSection:
    rows: list[ComplianceRow] = field(default_factory=list)
    due: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0


def obligations_section(period: Period) -> ObligationsSection:
    """Recurring duties that fell due in the period (waived ones aside), per obligation."""
    occurrences = Occurrence.objects.filter(due_on__gte=period.start, due_on__lte=period.end).exclude(
        status=Occurrence.Status.WAIVED
    )
    done = Q(status=Occurrence.Status.DONE)
    rows = (
        occurrences.order_by()
        .values("definition__code", "definition__title_vi", "definition__title_en")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(done_on__lte=F("due_on"))),
            overdue=Count("pk", filter=Q(status=Occurrence.Status.OVERDUE)),
        )
        .order_by("definition__code")
    )
    section = ObligationsSection(
        rows=[ComplianceRow(_title(dict(r)), r["due"], r["done"], r["on_time"], r["overdue"]) for r in rows]
    )
    for name in ("due", "done", "on_time", "overdue"):
        setattr(section, name, sum(getattr(r, name) for r in section.rows))
    return section


def _title(row: dict[str, Any]) -> str:
    english = (get_language() or "vi")[:2] == "en"
    vi, en = row["definition__title_vi"], row["definition__title_en"]
    return (en if english else vi) or vi or en or row["definition__code"]


@dataclass
class DrillsSection:
    held: int = 0
    live_fire: int = 0
    tabletop: int = 0
    planned: int = 0
    trainings: int = 0
    attendees: int = 0
    plans_approved: int = 0
    lines: list[str] = field(default_factory=list)


def drills_section(period: Period) -> DrillsSection:
    """Drills held and still planned, training courses and attendees, response plans approved."""
    drills = Drill.objects.filter(scheduled_on__gte=period.start, scheduled_on__lte=period.end)
    held = Drill.objects.filter(status=DrillStatus.HELD, held_on__gte=period.start, held_on__lte=period.end)
    counts = held.aggregate(
        held=Count("pk"),
        live_fire=Count("pk", filter=Q(kind=DrillKind.LIVE_FIRE)),
        tabletop=Count("pk", filter=Q(kind=DrillKind.TABLETOP)),
    )
    courses = TrainingCourse.objects.filter(starts_on__gte=period.start, starts_on__lte=period.end)
    lines = [
        f"{d.held_on:%d/%m/%Y}: {d.title} ({d.organization}; {d.get_kind_display()})"
        for d in held.select_related("organization").order_by("held_on", "pk")[:15]
    ]
    return DrillsSection(
        **counts,
        planned=drills.filter(status=DrillStatus.PLANNED).count(),
        trainings=courses.count(),
        attendees=TrainingAttendee.objects.filter(course__in=courses).count(),
        plans_approved=ResponsePlan.objects.filter(
            approved_on__gte=period.start, approved_on__lte=period.end
        ).count(),
        lines=lines,
    )


@dataclass
class SeverityRow:
    label: str
    found: int
    fixed: int
    unresolved: int


@dataclass
class ScansSection:
    scans: int = 0
    hosts: int = 0
    findings: int = 0
    fixed: int = 0
    overdue: int = 0
    by_severity: list[SeverityRow] = field(default_factory=list)


def scans_section(period: Period) -> ScansSection:
    """Scans imported in the period, findings first seen in it by severity, and their state now."""
    begin, after = period.bounds()
    scans = Scan.objects.filter(observed_at__gte=begin, observed_at__lt=after)
    found = Finding.objects.filter(first_seen__gte=begin, first_seen__lt=after)
    unresolved = Q(status__in=Finding.UNRESOLVED)
    rows = {
        r["severity"]: r
        for r in found.order_by()
        .values("severity")
        .annotate(
            found=Count("pk"),
            fixed=Count("pk", filter=Q(status=Finding.Status.FIXED)),
            unresolved=Count("pk", filter=unresolved),
        )
    }
    by_severity = [
        SeverityRow(str(s.label), rows[s]["found"], rows[s]["fixed"], rows[s]["unresolved"])
        for s in SEVERITY_ORDER
        if s in rows
    ]
    return ScansSection(
        scans=scans.count(),
        hosts=scans.aggregate(n=Coalesce(Sum("host_count"), 0))["n"],
        findings=sum(r.found for r in by_severity),
        fixed=Finding.objects.filter(fixed_at__gte=begin, fixed_at__lt=after).count(),
        overdue=Finding.objects.filter(unresolved, due_on__lt=min(period.end, timezone.localdate())).count(),
        by_severity=by_severity,
    )


@dataclass
class AdvisoriesSection:
    total: int = 0
    targets: int = 0
    acknowledged: int = 0
    completed: int = 0
    lines: list[str] = field(default_factory=list)


def advisories_section(period: Period, *, shareable_only: bool = False) -> AdvisoriesSection:
    """Advisories published in the period and how their targets answered. A TLP:RED advisory is counted
    but never named; the bulletin, which goes to every agency, names only TLP:CLEAR and GREEN ones."""
    begin, after = period.bounds()
    published = Advisory.objects.filter(published_at__gte=begin, published_at__lt=after)
    targets = AdvisoryTarget.objects.filter(advisory__in=published).aggregate(
        targets=Count("pk"),
        acknowledged=Count("pk", filter=~Q(status=TargetStatus.SENT)),
        completed=Count("pk", filter=Q(status=TargetStatus.COMPLETED)),
    )
    named = (
        published.filter(tlp__in=SHARED_WITH_NETWORK) if shareable_only else published.exclude(tlp=Tlp.RED)
    )
    lines = [
        f"{timezone.localtime(a.published_at):%d/%m/%Y}: {a.reference} {a.title}"
        for a in named.order_by("published_at", "pk")[:15]
    ]
    return AdvisoriesSection(total=published.count(), **targets, lines=lines)


def other_apps(period: Period) -> dict[str, Any]:
    """The sections built alongside the incident loop, for the province's report."""
    return {
        "obligations": obligations_section(period),
        "drills": drills_section(period),
        "scans": scans_section(period),
        "advisories": advisories_section(period),
    }


def advisories_for_bulletin(period: Period) -> AdvisoriesSection:
    return advisories_section(period, shareable_only=True)
