"""The statistics page's figures as plain tables (title, header, rows): what its XLSX and CSV exports write.

Official documents are not exported from here: their XLSX is written from their `nd30.Paper`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ungcuu.reports import builders


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
