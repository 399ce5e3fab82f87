"""Report figures as plain dataclasses, counted in the database (STYLE: reports take two steps).

`build_form05`, `build_unit_report`, `build_province_report` and `build_bulletin` return data only; the
renderers in `render/` turn the same data into HTML, PDF, DOCX and XLSX. Labels come out in the active
language: documents are built under Vietnamese (`documents.build`), the statistics page in the user's.
Forms 01-04, which describe one organization or one incident, are built in `profiles.py`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ungcuu.coordination.models import CoordinationRequest, RequestKind
from ungcuu.core import taxonomy
from ungcuu.core.bodies import province_name
from ungcuu.core.periods import Period
from ungcuu.incidents.models import DeadlinePolicy, Incident
from ungcuu.organizations.models import Organization
from ungcuu.reports import figures, jobs, sections, snapshots
from ungcuu.reports.access import Scope, listable
from ungcuu.reports.letterhead import specialised_unit
from ungcuu.systems.models import InformationSystem

GROUPS = ("ATTACK", "SYSTEM", "OPERATOR", "DISASTER", "")


def _english() -> bool:
    return (get_language() or "vi")[:2] == "en"


def category_label(code: str, *, form05: bool = False) -> str:
    entry = taxonomy.incident_categories().get(code)
    if entry is None:
        return _("Not classified yet")
    if form05 and not _english():
        return str(entry.get("form05_row_vi") or entry["vi"])
    return taxonomy.label(entry)


def group_label(code: str) -> str:
    """The cause group in the exact wording of S0 §II.3a (DOMAIN.md §c), read from taxonomy.json."""
    entry = taxonomy.incident_groups().get(code)
    return taxonomy.label(entry) if entry else _("Not classified yet")


def hours(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


# --- shared pieces --------------------------------------------------------------------------------------


@dataclass
class Tally:
    """One labelled count (a category, a group, a level)."""

    code: str
    label: str
    count: int


@dataclass
class Form05Row:
    code: str
    label: str
    count: int = 0
    self_handled: int = 0
    domestic_help: int = 0
    foreign_help: int = 0
    national_asked: int = 0
    damage_vnd: int = 0


@dataclass
class MonthRow:
    month: str  # "01/2026"
    total: int
    attack: int
    system: int
    operator: int
    disaster: int
    unclassified: int


@dataclass
class DeadlineRow:
    code: str
    label: str
    total: int
    on_time: int
    late: int
    overdue: int
    running: int

    @property
    def on_time_percent(self) -> int | None:
        decided = self.on_time + self.late + self.overdue
        return round(100 * self.on_time / decided) if decided else None


@dataclass
class RequestRow:
    kind: str
    label: str
    total: int
    on_time: int
    late: int
    declined: int
    waiting: int
    overdue: int


@dataclass
class IncidentLine:
    """One incident named in a listing: never a confidential one (scope.listable)."""

    reference: str
    reported: str
    operator: str
    category: str
    severity: str
    status: str
    title: str


@dataclass
class IncidentSection:
    total: int
    serious: int
    closed: int
    open_now: int
    confidential: int
    by_group: list[Tally]
    by_category: list[Tally]
    by_month: list[MonthRow]
    form05: list[Form05Row]
    form05_total: Form05Row
    acknowledge_hours: float | None
    close_hours: float | None
    deadlines: list[DeadlineRow]
    listing: list[IncidentLine]
    listing_more: int = 0


@dataclass
class SystemsSection:
    total: int
    approved: int
    critical: int
    level3_up: int
    scanned: int
    drilled: int
    planned: int
    by_level: list[Tally]


@dataclass
class StaffSection:
    total: int
    security_management: int
    defence: int
    protection: int
    testing: int


# --- form 05 --------------------------------------------------------------------------------------------


@dataclass
class Form05:
    """TT20 form 05: the half-year or annual summary a network member sends the national coordinator."""

    period: Period
    organization: str
    address: str
    member_code: str
    rows: list[Form05Row]
    total: Form05Row
    helpers_domestic: list[str]
    helpers_foreign: list[str]
    proposals: str = ""
    as_of: datetime.datetime | None = None  # when the figures were counted (reports.snapshots)


def form05_rows(counts: dict[str, dict[str, int]]) -> tuple[list[Form05Row], Form05Row]:
    """One row per ATTACK.* category in taxonomy order (zeros included), and the total row."""
    rows = [
        Form05Row(code=c["code"], label=category_label(c["code"], form05=True), **_row(counts.get(c["code"])))
        for c in figures.attack_categories()
    ]
    total = Form05Row(code="TOTAL", label=_("Total"))
    for name in ("count", "self_handled", "domestic_help", "foreign_help", "national_asked", "damage_vnd"):
        setattr(total, name, sum(getattr(r, name) for r in rows))
    return rows, total


def _row(counts: dict[str, int] | None) -> dict[str, int]:
    counts = counts or {}
    return {
        "count": counts.get("count", 0),
        "self_handled": counts.get("self_handled", 0),
        "domestic_help": counts.get("domestic", 0),
        "foreign_help": counts.get("foreign", 0),
        "national_asked": counts.get("national", 0),
        "damage_vnd": int(counts.get("damage", 0)),
    }


def kept(spec: snapshots.Spec, fresh: bool) -> snapshots.Kept:
    """The spec's figures through the snapshots (kept, or counted now with `fresh`)."""
    return snapshots.serve(spec, fresh=fresh, enqueue=jobs.enqueue_refresh)


def spec(kind: str, scope: Scope, period: Period, **options) -> snapshots.Spec:
    return snapshots.Spec(kind, scope.org_ids, period.start, period.end, **options)


def build_form05(*, scope: Scope, period: Period, proposals: str = "", fresh: bool = False) -> Form05:
    """Form 05's figures (`fresh`: counted now, as when it is filed or sent)."""
    figures_ = kept(spec(snapshots.FORM05, scope, period), fresh)
    counts = figures_.grid
    rows, total = form05_rows(counts.form05())
    org = scope.organization or specialised_unit()
    return Form05(
        period=period,
        organization=org.name if org else "",
        address=org.address if org else "",
        member_code=org.member_code if org else "",
        rows=rows,
        total=total,
        helpers_domestic=figures_.helpers,
        helpers_foreign=counts.foreign_helpers(),
        proposals=proposals,
        as_of=figures_.as_of,
    )


# --- the incident section shared by the unit and province reports and the statistics ---------------------


@dataclass
class Counted:
    """The raw figures of a scope and period: a handful of aggregate queries, fetched together."""

    incidents: QuerySet[Incident]
    grid: figures.Grid
    medians: dict[str, datetime.timedelta | None]
    deadlines: dict[str, dict[str, int]]
    operators: list[dict] = field(default_factory=list)
    contain: datetime.timedelta | None = None
    as_of: datetime.datetime | None = None


def count(
    scope: Scope,
    period: Period,
    *,
    operators: int = 0,
    contain: bool = False,
    hidden: tuple[int, ...] = (),
    fresh: bool = False,
) -> Counted:
    """Every aggregate a section needs: the grid, the medians, the deadlines, and on request the
    organizations with most incidents and the time to containment; kept as a snapshot (reports.snapshots,
    `fresh`: counted now).

    `hidden` incidents (sorted ids) are left out of every figure (the statistics count them apart, never
    detailed); they are part of the snapshot's key."""
    spec_ = spec(snapshots.COUNT, scope, period, contain=contain, hidden=hidden)
    figures_ = kept(spec_, fresh)
    return Counted(
        incidents=snapshots.incidents_of(spec_),
        grid=figures_.grid,
        medians=figures_.medians,
        deadlines=figures_.deadlines,
        operators=figures_.grid.by_operator(operators) if operators else [],
        contain=figures_.medians.get("contain"),
        as_of=figures_.as_of,
    )


def incident_section(
    counted: Counted, *, listing: QuerySet[Incident], listing_total: int, limit: int = 60
) -> IncidentSection:
    """Counts, distributions, form 05's table, durations and deadlines of the incidents of a period.

    `listing` holds the incidents the section may name and `listing_total` how many there are (read
    from the grid, so the table is not counted a second time).
    """
    grid = counted.grid
    by_category = grid.by("category")
    rows, total = form05_rows(grid.form05())
    listed = listing.select_related("operator").order_by("reported_at", "pk")
    return IncidentSection(
        **grid.status(),
        by_group=group_tallies(by_category),
        by_category=category_tallies(by_category),
        by_month=month_rows(grid.by_month()),
        form05=rows,
        form05_total=total,
        acknowledge_hours=hours(counted.medians["acknowledge"]),
        close_hours=hours(counted.medians["close"]),
        deadlines=deadline_rows(counted.deadlines),
        listing=[incident_line(i) for i in listed[:limit]] if limit else [],
        listing_more=max(0, listing_total - limit) if limit else 0,
    )


def group_tallies(by_category: dict[str, int]) -> list[Tally]:
    totals = dict.fromkeys(GROUPS, 0)
    for code, n in by_category.items():
        group = (code or "").split(".")[0]
        totals[group if group in totals else ""] += n
    # "Not classified yet" only when some are: a closed period usually has none.
    return [Tally(code or "NONE", group_label(code), n) for code, n in totals.items() if code or n]


def category_tallies(by_category: dict[str, int]) -> list[Tally]:
    ordered = [
        Tally(code, category_label(code), by_category[code])
        for code in taxonomy.incident_categories()
        if by_category.get(code)
    ]
    if by_category.get(""):
        ordered.append(Tally("NONE", category_label(""), by_category[""]))
    return ordered


def month_rows(months: list[tuple[datetime.date, dict[str, int]]]) -> list[MonthRow]:
    return [
        MonthRow(
            month=f"{day.month:02d}/{day.year}",
            total=sum(groups.values()),
            attack=groups.get("ATTACK", 0),
            system=groups.get("SYSTEM", 0),
            operator=groups.get("OPERATOR", 0),
            disaster=groups.get("DISASTER", 0),
            unclassified=groups.get("", 0),
        )
        for day, groups in months
    ]


def deadline_rows(compliance: dict[str, dict[str, int]]) -> list[DeadlineRow]:
    return [
        DeadlineRow(code=code.value, label=str(code.label), **compliance[code])
        for code in DeadlinePolicy.Code
        if code in compliance
    ]


def request_rows(counts: dict[str, dict[str, int]]) -> list[RequestRow]:
    return [RequestRow(kind=k.value, label=str(k.label), **counts[k]) for k in RequestKind if k in counts]


def incident_line(incident: Incident) -> IncidentLine:
    return IncidentLine(
        reference=incident.reference,
        reported=timezone.localtime(incident.reported_at).strftime("%d/%m/%Y"),
        operator=str(incident.operator or ""),
        category=category_label(incident.category),
        severity=str(incident.get_severity_display()),
        status=str(incident.get_status_display()),
        title=incident.title,
    )


def systems_section(systems: QuerySet[InformationSystem], as_of: datetime.date) -> SystemsSection:
    data = figures.systems_summary(systems, as_of)
    levels = data.pop("by_level")
    tallies = [
        Tally(str(level), _("Level %(n)s") % {"n": level}, levels.get(level, 0)) for level in range(1, 6)
    ]
    return SystemsSection(**data, by_level=tallies)


def staff_section(organizations: QuerySet[Organization]) -> StaffSection:
    sums = figures.staff_totals(organizations)
    return StaffSection(
        total=sums["staff_total"],
        security_management=sums["staff_security_management"],
        defence=sums["staff_defence"],
        protection=sums["staff_protection"],
        testing=sums["staff_testing"],
    )


def _systems_of(scope: Scope) -> QuerySet[InformationSystem]:
    systems = InformationSystem.objects.all()
    return systems if scope.org_ids is None else systems.filter(operator_id__in=scope.org_ids)


# --- a unit's 6-month or annual report -----------------------------------------------------------------


@dataclass
class UnitReport:
    """A unit's periodic report to the specialised unit (S0 §IV.2): its incidents, systems and staff."""

    period: Period
    organization: str
    address: str
    incidents: IncidentSection
    requests_received: list[RequestRow]
    systems: SystemsSection
    staff: StaffSection
    narrative: str = ""
    difficulties: str = ""
    proposals: str = ""
    as_of: datetime.datetime | None = None  # when the incident figures were counted (reports.snapshots)


def build_unit_report(
    *,
    scope: Scope,
    period: Period,
    narrative: str = "",
    difficulties: str = "",
    proposals: str = "",
    fresh: bool = False,
) -> UnitReport:
    counted = count(scope, period, fresh=fresh)
    begin, after = period.bounds()
    received = CoordinationRequest.objects.filter(created_at__gte=begin, created_at__lt=after)
    if scope.org_ids is not None:
        received = received.filter(recipient_id__in=scope.org_ids)
    org = scope.organization
    return UnitReport(
        period=period,
        organization=org.name if org else "",
        address=org.address if org else "",
        incidents=incident_section(
            counted,
            listing=listable(counted.incidents),
            listing_total=counted.grid.total() - counted.grid.total("confidential"),
        ),
        requests_received=request_rows(figures.coordination_counts(received, timezone.now())),
        systems=systems_section(_systems_of(scope), min(period.end, timezone.localdate())),
        staff=staff_section(scope.organizations()),
        narrative=narrative,
        difficulties=difficulties,
        proposals=proposals,
        as_of=counted.as_of,
    )


# --- the province's consolidated report ----------------------------------------------------------------


@dataclass
class OrganizationRow:
    name: str
    count: int
    serious: int


@dataclass
class ProvinceReport:
    """The specialised unit's report to the People's Committee and the ministry (S0 §IV.1)."""

    period: Period
    province: str
    incidents: IncidentSection
    by_organization: list[OrganizationRow]
    requests: list[RequestRow]
    systems: SystemsSection
    staff: StaffSection
    units: sections.UnitsSection
    obligations: sections.ObligationsSection | None = None
    drills: sections.DrillsSection | None = None
    scans: sections.ScansSection | None = None
    advisories: sections.AdvisoriesSection | None = None
    as_of: datetime.datetime | None = None  # when the incident figures were counted (reports.snapshots)


def build_province_report(*, period: Period, fresh: bool = False) -> ProvinceReport:
    scope = Scope.province()
    counted = count(scope, period, operators=15, fresh=fresh)
    serious = listable(counted.incidents).filter(severity=Incident.Severity.SERIOUS)
    begin, after = period.bounds()
    requests = CoordinationRequest.objects.filter(created_at__gte=begin, created_at__lt=after)
    as_of = min(period.end, timezone.localdate())
    return ProvinceReport(
        period=period,
        province=province_name(),
        incidents=incident_section(
            counted, listing=serious, listing_total=counted.grid.total("listable_serious"), limit=30
        ),
        by_organization=[OrganizationRow(**row) for row in counted.operators],
        requests=request_rows(figures.coordination_counts(requests, timezone.now())),
        systems=systems_section(_systems_of(scope), as_of),
        staff=staff_section(scope.organizations()),
        units=sections.units_section(period),
        **sections.other_apps(period),
        as_of=counted.as_of,
    )


# --- the quarterly bulletin ----------------------------------------------------------------------------


@dataclass
class Bulletin:
    """The quarterly bulletin for Party committees and agencies (S4 Art. 5): figures, trends, advice."""

    period: Period
    previous_label: str
    total: int
    previous_total: int
    serious: int
    by_group: list[Tally]
    by_category: list[Tally]
    by_month: list[MonthRow]
    requests_total: int
    notable: list[IncidentLine]
    recommendations: list[str]
    advisories: sections.AdvisoriesSection | None = None

    @property
    def change_percent(self) -> int | None:
        if not self.previous_total:
            return None
        return round(100 * (self.total - self.previous_total) / self.previous_total)


# Only incidents marked for wide sharing are named in a bulletin that goes to every agency.
SHAREABLE_TLP = (Incident.Tlp.CLEAR, Incident.Tlp.GREEN)


def build_bulletin(*, period: Period) -> Bulletin:
    incidents = figures.in_period(Scope.province().incidents(), period)
    previous = period.previous()
    counts = figures.grid(incidents, period)
    by_category = counts.by("category")
    begin, after = period.bounds()
    notable = listable(incidents).filter(tlp__in=SHAREABLE_TLP).select_related("operator")
    return Bulletin(
        period=period,
        previous_label=previous.label_vi,
        total=counts.total(),
        previous_total=figures.in_period(Scope.province().incidents(), previous).count(),
        serious=counts.total("serious"),
        by_group=group_tallies(by_category),
        by_category=sorted(category_tallies(by_category), key=lambda t: -t.count)[:8],
        by_month=month_rows(counts.by_month()),
        requests_total=CoordinationRequest.objects.filter(
            created_at__gte=begin, created_at__lt=after
        ).count(),
        notable=[incident_line(i) for i in notable.order_by("-severity", "reported_at")[:10]],
        recommendations=sections.recommendations(by_category),
        advisories=sections.advisories_for_bulletin(period),
    )
