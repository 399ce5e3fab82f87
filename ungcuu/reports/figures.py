"""Figures counted in the database (STYLE: never load incidents into Python to count them).

Every function takes a queryset already narrowed to a scope and a period and returns small dicts or
lists of aggregate rows. Conditional aggregation (`Count(..., filter=...)`) does several counts in one
pass over the incidents; helping organizations and damage come from the much smaller related tables.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ungcuu.coordination.models import CoordinationRequest, RequestKind
from ungcuu.coordination.models import Status as RequestStatus
from ungcuu.core import taxonomy
from ungcuu.core.periods import Period
from ungcuu.incidents.models import Deadline, Incident, Status
from ungcuu.organizations.models import Organization, StaffLine
from ungcuu.systems.models import InformationSystem, drill_current_since

# A coordination request counts as help once the recipient answered it (answered, then completed).
HELP_GIVEN = (RequestStatus.ANSWERED, RequestStatus.COMPLETED)
ATTACK = "ATTACK"


def in_period(incidents: QuerySet[Incident], period: Period) -> QuerySet[Incident]:
    begin, after = period.bounds()
    return incidents.filter(reported_at__gte=begin, reported_at__lt=after)


def attack_categories() -> list[dict[str, Any]]:
    """Form 05's rows: the ATTACK.* categories in taxonomy order."""
    return [c for c in taxonomy.incident_categories().values() if c.get("parent") == ATTACK]


def count_by(incidents: QuerySet, field: str) -> dict[Any, int]:
    return dict(incidents.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


# --- one pass over the period's incidents --------------------------------------------------------------


def _domestic_help() -> Q:
    """Answered requests to any body but the national coordinator (which has its own column).

    Written as `pk IN (subquery)` rather than a correlated EXISTS: PostgreSQL hashes the requests once
    instead of probing them for every incident (Django's EXISTS carries a LIMIT 1 that prevents hashing).
    """
    answered = CoordinationRequest.objects.filter(status__in=HELP_GIVEN)
    return Q(pk__in=answered.exclude(kind=RequestKind.NATIONAL_ESCALATION).values("incident_id"))


def _national_asked() -> Q:
    """Requests actually sent to the national coordinator (DOMAIN.md §f form 05, §d; S4 Art. 7.1d): an
    escalation request that was not withdrawn, or the specialised unit's "province cannot cope" request
    (`incidents.services.request_national_support`). Not the operator's capacity flag (QĐ05 Art. 11.1a),
    which starts emergency reporting but asks nobody for support."""
    escalations = CoordinationRequest.objects.filter(kind=RequestKind.NATIONAL_ESCALATION).exclude(
        status=RequestStatus.CANCELLED
    )
    return Q(pk__in=escalations.values("incident_id")) | Q(national_support_requested_at__isnull=False)


FORM05_COUNTS = ("count", "self_handled", "domestic", "foreign", "national", "damage")


@dataclass
class Grid:
    """Counts per (category, operator, foreign helpers named) from one grouped query, with a count per
    month of the period in each cell; every distribution the reports need is a sum over it (a few
    thousand aggregate rows at most, never incidents)."""

    cells: list[dict[str, Any]]
    months: list[datetime.date]

    def total(self, name: str = "count") -> int:
        return sum(c[name] for c in self.cells)

    def by(self, key: str, name: str = "count") -> dict[Any, int]:
        out: dict[Any, int] = {}
        for cell in self.cells:
            out[cell[key]] = out.get(cell[key], 0) + cell[name]
        return out

    def status(self) -> dict[str, int]:
        names = ("serious", "closed", "open_now", "confidential")
        return {"total": self.total(), **{name: self.total(name) for name in names}}

    def form05(self) -> dict[str, dict[str, int]]:
        """Per ATTACK.* category: count, self-handled, domestic help, foreign help, national asked, damage."""
        out: dict[str, dict[str, int]] = {}
        for cell in self.cells:
            if not cell["category"].startswith(f"{ATTACK}."):
                continue
            row = out.setdefault(cell["category"], dict.fromkeys(FORM05_COUNTS, 0))
            for name in ("count", "domestic", "foreign", "national"):
                row[name] += cell[name]
            row["damage"] += int(cell["damage"])
            # DOMAIN.md §f form 05 "handled by itself": handled to closure without outside help.
            row["self_handled"] += cell["closed_attack"] - cell["closed_helped"]
        return out

    def by_month(self) -> list[tuple[datetime.date, dict[str, int]]]:
        """Per month of the period, incidents per category group (ATTACK, SYSTEM, OPERATOR, DISASTER, "")."""
        table: dict[datetime.date, dict[str, int]] = {m: {} for m in self.months}
        for cell in self.cells:
            group = (cell["category"] or "").split(".")[0]
            for index, month in enumerate(self.months):
                bucket = table[month]
                bucket[group] = bucket.get(group, 0) + cell[f"m{index}"]
        return sorted(table.items())

    def foreign_helpers(self) -> list[str]:
        """Names given for the foreign organizations that helped with the attacks (grouped in the grid,
        so the damage table is not read a second time)."""
        texts = {c["damage__foreign_helpers"] for c in self.cells if c["foreign"]}
        names = {part.strip() for text in texts if text for part in text.replace(";", ",").split(",")}
        return sorted(name for name in names if name)

    def by_operator(self, limit: int = 15) -> list[dict[str, Any]]:
        """The organizations with most incidents (names read for those only)."""
        counts, serious = self.by("operator_id"), self.by("operator_id", "serious")
        top = sorted((pk for pk in counts if pk is not None), key=lambda pk: (-counts[pk], pk))[:limit]
        names = dict(Organization.objects.filter(pk__in=top).values_list("pk", "name"))
        return [{"name": names.get(pk, ""), "count": counts[pk], "serious": serious[pk]} for pk in top]


def month_counts(period: Period) -> dict[str, Count]:
    """One count per month of the period (m0, m1, ...), as filtered aggregates rather than a grouping key:
    PostgreSQL cannot estimate the groups of an expression over `reported_at`, and with such a key it
    sorted every incident instead of aggregating in its parallel workers."""
    tz = timezone.get_current_timezone()
    starts = [datetime.datetime.combine(m, datetime.time.min, tzinfo=tz) for m in period.month_starts()]
    _, after = period.bounds()
    ends = [*starts[1:], after]
    return {
        f"m{index}": Count("pk", filter=Q(reported_at__gte=start, reported_at__lt=end))
        for index, (start, end) in enumerate(zip(starts, ends, strict=True))
    }


def grid(incidents: QuerySet[Incident], period: Period) -> Grid:
    """Every count of the period's incidents in one grouped pass (conditional aggregation).

    The grouping keys are plain columns whose statistics PostgreSQL knows, so it aggregates in parallel
    workers; the help columns are only asked of attacks (form 05's rows).
    """
    _, after = period.bounds()
    attack = Q(category__startswith=f"{ATTACK}.")
    domestic, national, foreign = _domestic_help(), _national_asked(), Q(damage__foreign_help=True)
    serious = Q(severity=Incident.Severity.SERIOUS)
    terminal = [Status.CLOSED, Status.REJECTED, Status.MERGED]
    closed_by_end = Q(status=Status.CLOSED, closed_at__lt=after)
    cells = (
        incidents.order_by()  # type: ignore[no-redef]  # django-stubs misreads the reverse one-to-one "damage"
        .values("category", "operator_id", "damage__foreign_helpers")
        .annotate(
            count=Count("pk"),
            serious=Count("pk", filter=serious),
            listable_serious=Count("pk", filter=serious & Q(confidential=False)),
            closed=Count("pk", filter=Q(status=Status.CLOSED, closed_at__lt=after)),
            open_now=Count("pk", filter=~Q(status__in=terminal)),
            confidential=Count("pk", filter=Q(confidential=True)),
            domestic=Count("pk", filter=attack & domestic),
            foreign=Count("pk", filter=attack & foreign),
            national=Count("pk", filter=attack & national),
            helped=Count("pk", filter=attack & (domestic | national | foreign)),
            closed_attack=Count("pk", filter=attack & closed_by_end),
            closed_helped=Count("pk", filter=attack & closed_by_end & (domestic | national | foreign)),
            damage=Coalesce(Sum("damage__amount_vnd", filter=attack), 0),
            **month_counts(period),
        )
    )
    return Grid([dict(cell) for cell in cells], period.month_starts())


def domestic_helpers(incidents: QuerySet[Incident]) -> list[str]:
    """Names of the bodies that answered a request about these incidents (national coordinator apart)."""
    requests = CoordinationRequest.objects.filter(status__in=HELP_GIVEN, incident__in=incidents.values("pk"))
    recipients = requests.exclude(kind=RequestKind.NATIONAL_ESCALATION).order_by().values("recipient_id")
    return sorted(Organization.objects.filter(pk__in=recipients).values_list("name", flat=True))


# --- durations ------------------------------------------------------------------------------------------


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate; the median is `PercentileCont(expr)` (fraction 0.5)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = DurationField()


def since_report(field: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(field) - F("reported_at"), output_field=DurationField())


def median(incidents: QuerySet[Incident], expression) -> datetime.timedelta | None:
    """The median of a duration, in the database: PERCENTILE_CONT on PostgreSQL, else the middle row(s)."""
    rows = incidents.order_by().annotate(duration=expression).filter(duration__isnull=False)
    if connections[rows.db].vendor == "postgresql":
        return rows.aggregate(m=PercentileCont("duration"))["m"]
    n = rows.count()
    if not n:
        return None
    ordered = rows.order_by("duration").values_list("duration", flat=True)
    middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
    return sum(middle, datetime.timedelta()) / len(middle)


class SQLiteMicroseconds(Func):
    """SQLite: the whole microseconds from `start` to `end`, in the database's integer arithmetic.

    Django's duration expression on SQLite calls a Python function that parses both timestamps of every
    row (`django_timestamp_diff`): 14 s of the statistics page at 100,000 incidents. Django stores a
    datetime as `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC), so the seconds come from `strftime('%s')` and the
    microseconds from the digits after character 20; the result is exact, not a float of days."""

    output_field = IntegerField()

    def as_sql(  # noqa: ARG002 (Func's signature; this SQL takes no function or template)
        self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context
    ):
        (start, start_params), (end, end_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )

        def seconds(sql):
            return f"CAST(strftime('%%s', {sql}) AS INTEGER)"  # %% is the driver's escape of %

        def micros(sql):
            return f"CAST(substr(substr({sql}, 21) || '000000', 1, 6) AS INTEGER)"

        sql = f"(({seconds(end)} - {seconds(start)}) * 1000000 + {micros(end)} - {micros(start)})"
        return sql, (*end_params, *start_params, *end_params, *start_params)


def sqlite_median(incidents: QuerySet[Incident], field: str) -> datetime.timedelta | None:
    """`median(incidents, since_report(field))` on SQLite without a Python call per row (same value)."""
    rows = incidents.order_by().filter(**{f"{field}__isnull": False})
    n = rows.count()
    if not n:
        return None
    ordered = rows.annotate(us=SQLiteMicroseconds("reported_at", field)).order_by("us")
    middle = [
        datetime.timedelta(microseconds=us)
        for us in ordered.values_list("us", flat=True)[(n - 1) // 2 : n // 2 + 1]
    ]
    return sum(middle, datetime.timedelta()) / len(middle)


def medians(incidents: QuerySet[Incident], *, contain: bool = False) -> dict[str, datetime.timedelta | None]:
    """Time from report to acknowledgement and to closure, and on request to containment (all medians in
    one query on PostgreSQL). Each end is a column the transition service stamps when it happens
    (`acknowledged_at`, `contained_at`, `closed_at`), so no incident's timeline is read (issue 18).
    """
    acknowledge, close = since_report("acknowledged_at"), since_report("closed_at")
    contained = since_report("contained_at")
    closed = incidents.filter(status=Status.CLOSED)
    if connections[incidents.db].vendor == "postgresql":
        extra = {"contain": PercentileCont(contained)} if contain else {}
        return incidents.order_by().aggregate(
            acknowledge=PercentileCont(acknowledge),
            close=PercentileCont(close, filter=Q(status=Status.CLOSED)),
            **extra,
        )
    if connections[incidents.db].vendor == "sqlite":
        out = {
            "acknowledge": sqlite_median(incidents, "acknowledged_at"),
            "close": sqlite_median(closed, "closed_at"),
        }
        if contain:
            out["contain"] = sqlite_median(incidents, "contained_at")
        return out
    out = {"acknowledge": median(incidents, acknowledge), "close": median(closed, close)}
    if contain:
        out["contain"] = median(incidents, contained)
    return out


# --- deadlines and coordination -------------------------------------------------------------------------


def deadline_compliance(
    period: Period,
    now: datetime.datetime,
    org_ids: tuple[int, ...] | None = None,
    hidden: QuerySet[Incident] | None = None,
) -> dict[str, dict[str, int]]:
    """Per tracked duty, the clocks that fell due in the period: met on time, late, overdue, running.

    Read from the clocks' own due dates, like the obligations' occurrences that fall due in a window, so
    the province's figure needs no join with the incident table; the clocks of merged duplicates and of
    reports found not to be incidents are left out (NOT_COUNTED, found through the status index).
    """
    begin, after = period.bounds()
    # Merged/rejected reports are not incidents, and BQP/BCA systems are outside QĐ05 (`in_qd05_scope`).
    # NOT EXISTS, not NOT IN: PostgreSQL hashes a NOT IN list only while it fits in work_mem, and otherwise
    # scans the whole list again for every clock (issue 18: over 80 s at 1 M incidents, where the merged and
    # rejected are hundreds of thousands); NOT EXISTS is an anti-join whatever the size. Same rows: neither
    # side is ever NULL.
    not_counted = Incident.objects.filter(
        Q(status__in=[Status.MERGED, Status.REJECTED])
        | Q(pk__in=Incident.objects.outside_qd05_scope().values("pk")),
        pk=OuterRef("incident_id"),
    )
    clocks = Deadline.objects.filter(due_at__gte=begin, due_at__lt=after).exclude(Exists(not_counted))
    if org_ids is not None:
        clocks = clocks.filter(incident__operator_id__in=org_ids)
    if hidden is not None:
        clocks = clocks.exclude(incident_id__in=hidden.values("pk"))
    rows = (
        clocks.order_by()
        .values("code")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(met_at__gt=F("due_at"))),
            overdue=Count("pk", filter=Q(met_at__isnull=True, due_at__lt=now)),
            running=Count("pk", filter=Q(met_at__isnull=True, due_at__gte=now)),
        )
    )
    return {
        row["code"]: {
            "total": row["total"],
            "on_time": row["on_time"],
            "late": row["late"],
            "overdue": row["overdue"],
            "running": row["running"],
        }
        for row in rows
    }


def coordination_counts(requests: QuerySet[CoordinationRequest], now: datetime.datetime) -> dict[str, Any]:
    """Requests by kind, and how they were answered (answered on time against the request's deadline)."""
    waiting = [RequestStatus.SENT, RequestStatus.ACKNOWLEDGED]
    rows = (
        requests.order_by()
        .values("kind")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("deadline"))),
            late=Count("pk", filter=Q(answered_at__gt=F("deadline"))),
            declined=Count("pk", filter=Q(status=RequestStatus.DECLINED)),
            waiting=Count("pk", filter=Q(status__in=waiting)),
            overdue=Count("pk", filter=Q(status__in=waiting, deadline__lt=now)),
        )
    )
    return {row["kind"]: {k: v for k, v in row.items() if k != "kind"} for row in rows}


# --- registry figures (systems and staff) ---------------------------------------------------------------


def systems_summary(systems: QuerySet[InformationSystem], as_of: datetime.date) -> dict[str, Any]:
    """Systems by level, dossiers approved, and the recurring duties seen from the registry's dates."""
    half_year, year = as_of - datetime.timedelta(days=183), as_of - datetime.timedelta(days=365)
    active = systems.filter(is_active=True)
    totals = active.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(dossier_state=InformationSystem.DossierState.APPROVED)),
        critical=Count("pk", filter=Q(is_critical_national=True)),
        scanned=Count("pk", filter=Q(last_vuln_scan_on__gt=half_year, last_vuln_scan_on__lte=as_of)),
        level3_up=Count("pk", filter=Q(security_level__gte=3)),
        drilled=Count(
            "pk",
            filter=Q(
                security_level__gte=3, last_drill_on__gte=drill_current_since(as_of), last_drill_on__lte=as_of
            ),
        ),
        planned=Count("pk", filter=Q(last_plan_update_on__gt=year, last_plan_update_on__lte=as_of)),
    )
    totals["by_level"] = count_by(active, "security_level")
    return totals


STAFF_FIELDS = (
    "staff_total",
    "staff_security_management",
    "staff_defence",
    "staff_protection",
    "staff_testing",
)


def staff_totals(organizations: QuerySet[Organization]) -> dict[str, int]:
    """Headcounts: an organization that lists its staff person by person (form 01's annex lines) is counted
    from the lines; one that has no line yet falls back to the headcount fields it declared (kept working
    for units that have not entered their people, and for the figures of old profiles)."""
    lines = StaffLine.objects.filter(organization__in=organizations)
    listed = set(lines.values_list("organization_id", flat=True))
    sums = organizations.exclude(pk__in=listed).aggregate(**{f: Coalesce(Sum(f), 0) for f in STAFF_FIELDS})
    totals = {f: int(v) for f, v in sums.items()}
    for groups in lines.values_list("expert_groups", flat=True):
        totals["staff_total"] += 1
        for group in groups or []:
            if f"staff_{group}" in totals:  # ExpertGroup values name the headcount fields
                totals[f"staff_{group}"] += 1
    return totals
