"""The statistics dashboard's figures (counted in the database), its charts and its export tables.

No incident is named here: the dashboard shows counts, distributions and durations only. A confidential
incident the user may not open is counted in the total and nowhere else ("counted, never detailed"): in a
unit's figures its month, type, state or clock would tell a read-only member which incident it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.core import exports
from ungcuu.core.periods import Period
from ungcuu.incidents.models import Deadline, Incident, ProbeExists
from ungcuu.reports import builders
from ungcuu.reports.access import Scope
from ungcuu.reports.render import charts
from ungcuu.reports.render.csvfile import render_csv
from ungcuu.reports.render.tables import Table, incident_tables
from ungcuu.reports.render.xlsx import render_xlsx

# The charts' alternative texts, for the charts drawn in the page's second request.
CHART_ALTS = {
    "months": gettext_lazy("Incidents per month"),
    "categories": gettext_lazy("Incidents by type"),
    "organizations": gettext_lazy("Incidents by organization"),
    "severity": gettext_lazy("Incidents by severity"),
    "durations": gettext_lazy("Median hours from the report"),
    "deadlines": gettext_lazy("Deadline compliance"),
}


@dataclass
class Statistics:
    period: Period
    incidents: builders.IncidentSection
    by_organization: list[builders.OrganizationRow]
    by_severity: list[builders.Tally]
    contain_hours: float | None
    withheld: int = 0  # confidential incidents in the total that the user may not open: not in any figure
    as_of: datetime.datetime | None = None  # when the figures were counted (reports.snapshots)


def default_period() -> Period:
    """The statistics' period when none is asked: the current year."""
    return Period.year(Period.current_half().start.year)


def hidden_ids(scope: Scope, user, period: Period) -> tuple[tuple[int, ...], int]:
    """The sorted ids of the scope's confidential incidents `user` may not open that touch the period's
    figures, and how many of them were reported in the period (the rest have a clock due in it).

    Exactly what the figures depend on, so the snapshot key holds no more: the confidential incidents
    reported in the period (the partial index on confidential incidents, a few per cent) and the older ones
    with a clock due in it; the tenancy gate is then asked about those candidates only (its probes cost per
    row: asked of every confidential incident of the history it took 110 ms at 100k, and grew with it)."""
    begin, after = period.bounds()
    confidential = scope.incidents().filter(confidential=True).order_by()
    recent = set(
        confidential.filter(reported_at__gte=begin, reported_at__lt=after).values_list("pk", flat=True)
    )
    # Older ones: a probe of each one's clocks (ProbeExists); as a hash join PostgreSQL read every clock due
    # in the period (136 ms at 100k, 22 ms probed). Neither the QĐ05 scope's join nor the status is needed
    # here: an incident that is not counted changes no figure, whether or not it is in the key.
    due = ProbeExists(
        Deadline.objects.filter(incident_id=OuterRef("pk"), due_at__gte=begin, due_at__lt=after)
    )
    older_confidential = Incident.objects.filter(confidential=True, reported_at__lt=begin).order_by()
    if scope.org_ids is not None:
        older_confidential = older_confidential.filter(operator_id__in=scope.org_ids)
    older = set(older_confidential.filter(due).values_list("pk", flat=True))
    candidates = recent | older
    opened = set(Incident.objects.visible_to(user).filter(pk__in=candidates).values_list("pk", flat=True))
    hidden = sorted(candidates - opened)
    return tuple(hidden), sum(1 for pk in hidden if pk in recent)


def build_statistics(*, scope: Scope, period: Period, user, fresh: bool = False) -> Statistics:
    """The figures `user` may see: every incident counted, only those they may open detailed. They come
    from a snapshot whose key holds the hidden set, so they are never another reader's (`fresh`: counted
    now)."""
    hidden, withheld = hidden_ids(scope, user, period)
    counted = builders.count(scope, period, operators=20, contain=True, hidden=hidden, fresh=fresh)
    section = builders.incident_section(counted, listing=Incident.objects.none(), listing_total=0, limit=0)
    serious = section.serious
    severity: dict[str, int] = {
        Incident.Severity.SERIOUS.value: serious,
        Incident.Severity.NORMAL.value: section.total - serious,
    }
    section.total += withheld  # counted in the total, after every distribution was taken without them
    section.confidential += withheld
    return Statistics(
        period=period,
        incidents=section,
        by_organization=[builders.OrganizationRow(**r) for r in counted.operators],
        by_severity=[
            builders.Tally(s.value, str(s.label), severity.get(s.value, 0)) for s in Incident.Severity
        ],
        contain_hours=builders.hours(counted.contain),
        withheld=withheld,
        as_of=counted.as_of,
    )


def statistics_charts(stats: Statistics, *, draw: bool = True) -> dict[str, str | None]:
    """Data URIs of the dashboard's charts; with `draw=False` only those drawn already (None for the
    others: the page asks for them in a second request, so its figures show at once)."""
    section = stats.incidents
    organizations = [builders.Tally(r.name, r.name, r.count) for r in stats.by_organization]
    durations = [
        builders.Tally("ack", _("to acknowledge"), round(section.acknowledge_hours or 0)),
        builders.Tally("contain", _("to contain"), round(stats.contain_hours or 0)),
        builders.Tally("close", _("to close"), round(section.close_hours or 0)),
    ]
    durations = [t for t in durations if t.count]
    drawn = {
        "months": (charts.months_chart, section.by_month),
        "categories": (charts.bars_chart, section.by_category, _("Incidents by type")),
        "organizations": (charts.bars_chart, organizations, _("Incidents by organization"), "#6a3fb3"),
        "severity": (charts.bars_chart, stats.by_severity, _("Incidents by severity"), "#9b1c1c"),
        "durations": (charts.bars_chart, durations, _("Median hours from the report"), "#1e7a3c"),
        "deadlines": (charts.deadlines_chart, section.deadlines),
    }
    # Each drawn once per distinct set of figures (charts.drawn): matplotlib takes about 0.2 s a chart, far
    # more than the figures' queries (issue 18).
    pngs = {name: charts.drawn(*spec) if draw else charts.kept(*spec) for name, spec in drawn.items()}
    return {name: charts.data_uri(png) if png else None for name, png in pngs.items()}


def statistics_tables(stats: Statistics) -> list[Table]:
    tables = [t for t in incident_tables(stats.incidents) if t.rows or t.title != _("Incidents")]
    tables[0].rows.insert(1, [_("Confidential, counted but not detailed"), stats.withheld])
    if stats.as_of is not None:  # kept figures have an age: the file says it, as the page does
        when = timezone.localtime(stats.as_of).strftime("%H:%M %d/%m/%Y")
        tables[0].rows.append([_("Figures as of %(when)s") % {"when": when}, ""])
    organizations = Table(_("By organization"), [_("Organization"), _("Incidents"), _("Serious")])
    organizations.rows = [[r.name, r.count, r.serious] for r in stats.by_organization]
    severity = Table(
        _("By severity"), [_("Severity"), _("Incidents")], [[t.label, t.count] for t in stats.by_severity]
    )
    durations = Table(
        _("Median hours"),
        [_("From the report"), _("Hours")],
        [
            [_("to acknowledge"), stats.incidents.acknowledge_hours],
            [_("to contain"), stats.contain_hours],
            [_("to close"), stats.incidents.close_hours],
        ],
    )
    return [*tables, organizations, severity, durations]


# The statistics' downloads: format -> (content type, the tables as a file). The page (`?export=`) and the
# API (`?download=`) both answer with `statistics_file`.
EXPORTS = {
    "csv": (exports.CSV_TYPE, render_csv),
    "xlsx": (exports.XLSX_TYPE, render_xlsx),
}


def statistics_file(stats: Statistics, scope: Scope, fmt: str) -> tuple[bytes, str, str]:
    """The figures' tables as a CSV or XLSX file: (content, content type, file name)."""
    content_type, render = EXPORTS[fmt]
    name = f"thong-ke-{stats.period.key}-{scope.organization.code if scope.organization else 'TINH'}"
    return render(statistics_tables(stats)), content_type, f"{name}.{fmt}"
