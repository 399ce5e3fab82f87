"""A document's figures as plain tables (title, header, rows): what the XLSX and CSV exports write.

One function per document kind, registered in TABLES (STYLE rule 13: renderers are plug-ins).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ungcuu.reports import builders, profiles


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def form05_table(rows: list[builders.Form05Row], total: builders.Form05Row) -> Table:
    columns = [
        _("Type of attack"),
        _("Incidents"),
        _("Handled by itself"),
        _("With domestic help"),
        _("With foreign help"),
        _("National coordinator asked"),
        _("Estimated damage (VND)"),
    ]
    body = [
        [r.label, r.count, r.self_handled, r.domestic_help, r.foreign_help, r.national_asked, r.damage_vnd]
        for r in [*rows, total]
    ]
    return Table(_("Form 05"), columns, body)


def tally_table(title: str, tallies: list[builders.Tally]) -> Table:
    return Table(title, [_("Item"), _("Incidents")], [[t.label, t.count] for t in tallies])


def months_table(rows: list[builders.MonthRow]) -> Table:
    columns = [
        _("Month"),
        _("Total"),
        _("Cyber attacks"),
        _("System failures"),
        _("Operator errors"),
        _("Natural disasters"),
        _("Not classified yet"),
    ]
    body = [[r.month, r.total, r.attack, r.system, r.operator, r.disaster, r.unclassified] for r in rows]
    return Table(_("By month"), columns, body)


def deadlines_table(rows: list[builders.DeadlineRow]) -> Table:
    columns = [_("Duty"), _("Total"), _("On time"), _("Late"), _("Overdue"), _("Running"), _("Share on time")]
    body = [[r.label, r.total, r.on_time, r.late, r.overdue, r.running, r.on_time_percent] for r in rows]
    return Table(_("Deadlines"), columns, body)


def requests_table(rows: list[builders.RequestRow]) -> Table:
    columns = [
        _("Kind of request"),
        _("Total"),
        _("Answered on time"),
        _("Answered late"),
        _("Declined"),
        _("Waiting"),
        _("Overdue"),
    ]
    body = [[r.label, r.total, r.on_time, r.late, r.declined, r.waiting, r.overdue] for r in rows]
    return Table(_("Coordination requests"), columns, body)


def summary_table(section: builders.IncidentSection) -> Table:
    rows = [
        [_("Incidents"), section.total],
        [_("Serious"), section.serious],
        [_("Closed by the end of the period"), section.closed],
        [_("Still open"), section.open_now],
        [_("Median hours to acknowledge"), section.acknowledge_hours],
        [_("Median hours to close"), section.close_hours],
    ]
    return Table(_("Summary"), [_("Figure"), _("Value")], rows)


def listing_table(lines: list[builders.IncidentLine]) -> Table:
    columns = [
        _("Reference"),
        _("Reported"),
        _("Organization"),
        _("Type"),
        _("Severity"),
        _("Status"),
        _("Title"),
    ]
    body = [[i.reference, i.reported, i.operator, i.category, i.severity, i.status, i.title] for i in lines]
    return Table(_("Incidents"), columns, body)


def incident_tables(section: builders.IncidentSection) -> list[Table]:
    return [
        summary_table(section),
        form05_table(section.form05, section.form05_total),
        tally_table(_("By cause"), section.by_group),
        tally_table(_("By type"), section.by_category),
        months_table(section.by_month),
        deadlines_table(section.deadlines),
        listing_table(section.listing),
    ]


def form05_tables(doc: builders.Form05) -> list[Table]:
    helpers = Table(_("Helping organizations"), [_("Organization"), _("Domestic or foreign")])
    helpers.rows = [[name, _("domestic")] for name in doc.helpers_domestic]
    helpers.rows += [[name, _("foreign")] for name in doc.helpers_foreign]
    return [form05_table(doc.rows, doc.total), helpers]


def unit_tables(doc: builders.UnitReport) -> list[Table]:
    return [*incident_tables(doc.incidents), requests_table(doc.requests_received)]


def province_tables(doc: builders.ProvinceReport) -> list[Table]:
    units = Table(
        _("Units' reports"),
        [_("Organization"), _("Status"), _("Submitted"), _("Incidents"), _("Cyber attacks"), _("Serious")],
    )
    units.rows = [
        [r.organization, r.status_label, r.submitted_on, r.total, r.attacks, r.serious]
        for r in doc.units.rows
    ]
    organizations = Table(_("By organization"), [_("Organization"), _("Incidents"), _("Serious")])
    organizations.rows = [[r.name, r.count, r.serious] for r in doc.by_organization]
    return [*incident_tables(doc.incidents), organizations, requests_table(doc.requests), units]


def bulletin_tables(doc: builders.Bulletin) -> list[Table]:
    return [
        tally_table(_("By cause"), doc.by_group),
        tally_table(_("By type"), doc.by_category),
        months_table(doc.by_month),
        listing_table(doc.notable),
    ]


def profile_tables(doc: profiles.MemberProfile) -> list[Table]:
    systems = Table(_("Information systems"), [_("Level"), _("System"), _("Domain or IP"), _("Dossier")])
    systems.rows = [[g.level, s.name, s.where, s.state] for g in doc.levels for s in g.systems]
    staff = Table(
        _("Staff"),
        [_("Figure"), _("Value")],
        [
            [_("IT security staff"), doc.staff.total],
            [_("Experts: security management"), doc.staff.security_management],
            [_("Experts: defence and anti-attack"), doc.staff.defence],
            [_("Experts: system and application protection"), doc.staff.protection],
            [_("Experts: testing and assessment"), doc.staff.testing],
        ],
    )
    return [systems, staff]


def fields_table(title: str, doc: Any) -> list[Table]:
    """Forms about one incident: one row per field, as the form lists them."""
    rows = []
    for name, value in vars(doc).items():
        rows.append([name, ", ".join(value) if isinstance(value, list) else value])
    return [Table(title, [_("Field"), _("Value")], rows)]


TABLES: dict[str, Callable[[Any], list[Table]]] = {
    "form01": profile_tables,
    "form02": profile_tables,
    "form03": lambda doc: fields_table(_("Form 03"), doc),
    "form04": lambda doc: fields_table(_("Form 04"), doc),
    "form05": form05_tables,
    "unit": unit_tables,
    "province": province_tables,
    "bulletin": bulletin_tables,
}


def tables_for(kind: str, figures: Any) -> list[Table]:
    return TABLES[kind](figures)
