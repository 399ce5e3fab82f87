"""CSV and XLSX exports of findings: the same columns, the rows the user sees, and no formula injection.

Host names and finding names come from scanners and from DNS, which an attacker can influence; the cells
go through `ungcuu.core.exports`, which keeps them from being run as formulas (OWASP "CSV injection").
"""

from __future__ import annotations

import io
from itertools import chain

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ungcuu.core import exports
from ungcuu.vulnerabilities.models import Finding


def columns() -> list[str]:
    return [
        _("ID"),
        _("Information system"),
        _("Operating organization"),
        _("Scanner"),
        _("Check"),
        _("Name"),
        _("Port"),
        _("Severity"),
        _("CVSS score"),
        _("CVSS vector"),
        _("CVE"),
        _("Status"),
        _("First seen"),
        _("Last seen"),
        _("Remediation due"),
        _("Overdue"),
        _("Responsible person"),
        _("Risk accepted until"),
        _("Reason"),
    ]


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def row(finding: Finding) -> list:
    return [
        str(finding.pk),
        finding.system.name,
        finding.system.operator.name,
        finding.get_tool_display(),
        finding.check_id,
        finding.name,
        finding.port_display,
        finding.get_severity_display(),
        str(finding.cvss_score or ""),
        finding.cvss_vector,
        " ".join(finding.cve_ids or []),
        finding.get_status_display(),
        _date(timezone.localtime(finding.first_seen)),
        _date(timezone.localtime(finding.last_seen)),
        _date(finding.due_on),
        _("yes") if finding.is_overdue else "",
        finding.owner_user or "",
        _date(finding.risk_expires_on),
        finding.status_reason,
    ]


def _filename(extension: str) -> str:
    return f"findings-{timezone.localdate():%Y%m%d}.{extension}"


def csv_response(findings) -> HttpResponse:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly."""
    rows = (row(finding) for finding in findings.iterator(chunk_size=500))
    response = HttpResponse(exports.csv_bytes(chain([columns()], rows)), content_type=exports.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(findings) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Findings")[:31])
    exports.append_row(sheet, columns())
    for finding in findings.iterator(chunk_size=500):
        exports.append_row(sheet, row(finding))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
