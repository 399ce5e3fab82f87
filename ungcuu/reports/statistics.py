"""The statistics dashboard's figures (counted in the database), its charts and its export tables.

No incident is named here: the dashboard shows counts, distributions and durations only, so confidential
incidents are counted like the others and never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ungcuu.incidents.models import Incident
from ungcuu.reports import builders
from ungcuu.reports.periods import Period
from ungcuu.reports.render import charts
from ungcuu.reports.render.tables import Table, incident_tables
from ungcuu.reports.scope import Scope


@dataclass
class Statistics:
    period: Period
    incidents: builders.IncidentSection
    by_organization: list[builders.OrganizationRow]
    by_severity: list[builders.Tally]
    contain_hours: float | None


def build_statistics(*, scope: Scope, period: Period) -> Statistics:
    counted = builders.count(scope, period, operators=20, contain=True)
    section = builders.incident_section(counted, listing=Incident.objects.none(), listing_total=0, limit=0)
    serious = section.serious
    severity = {Incident.Severity.SERIOUS: serious, Incident.Severity.NORMAL: section.total - serious}
    return Statistics(
        period=period,
        incidents=section,
        by_organization=[builders.OrganizationRow(**r) for r in counted.operators],
        by_severity=[
            builders.Tally(s.value, str(s.label), severity.get(s.value, 0)) for s in Incident.Severity
        ],
        contain_hours=builders.hours(counted.contain),
    )


def statistics_charts(stats: Statistics) -> dict[str, str]:
    """Data URIs of the dashboard's charts."""
    section = stats.incidents
    organizations = [builders.Tally(r.name, r.name, r.count) for r in stats.by_organization]
    durations = [
        builders.Tally("ack", _("to acknowledge"), round(section.acknowledge_hours or 0)),
        builders.Tally("contain", _("to contain"), round(stats.contain_hours or 0)),
        builders.Tally("close", _("to close"), round(section.close_hours or 0)),
    ]
    durations = [t for t in durations if t.count]
    pngs = {
        "months": charts.months_chart(section.by_month),
        "categories": charts.bars_chart(section.by_category, _("Incidents by type")),
        "organizations": charts.bars_chart(organizations, _("Incidents by organization"), "#6a3fb3"),
        "severity": charts.bars_chart(stats.by_severity, _("Incidents by severity"), "#9b1c1c"),
        "durations": charts.bars_chart(durations, _("Median hours from the report"), "#1e7a3c"),
        "deadlines": charts.deadlines_chart(section.deadlines),
    }
    return {name: charts.data_uri(png) for name, png in pngs.items()}


def statistics_tables(stats: Statistics) -> list[Table]:
    tables = [t for t in incident_tables(stats.incidents) if t.rows or t.title != _("Incidents")]
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
