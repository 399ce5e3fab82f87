"""CSV and XLSX exports of findings: the same columns, the rows the user sees, and no formula injection.

Host names and finding names come from scanners and from DNS, which an attacker can influence, so a cell
that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ungcuu.vulnerabilities.models import Finding

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def columns() -> list[str]:
    return [
        _("ID"), _("Information system"), _("Operating organization"), _("Scanner"), _("Check"), _("Name"),
        _("Port"), _("Severity"), _("CVSS score"), _("CVSS vector"), _("CVE"), _("Status"), _("First seen"),
        _("Last seen"), _("Remediation due"), _("Overdue"), _("Responsible person"), _("Risk accepted until"),
        _("Reason"),
    ]  # fmt: skip


def safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def row(finding: Finding) -> list[str]:
    return [
        str(finding.pk),
        safe(finding.system.name),
        safe(finding.system.operator.name),
        finding.get_tool_display(),
        safe(finding.check_id),
        safe(finding.name),
        finding.port_display,
        finding.get_severity_display(),
        str(finding.cvss_score or ""),
        safe(finding.cvss_vector),
        " ".join(finding.cve_ids or []),
        finding.get_status_display(),
        _date(timezone.localtime(finding.first_seen)),
        _date(timezone.localtime(finding.last_seen)),
        _date(finding.due_on),
        _("yes") if finding.is_overdue else "",
        safe(finding.owner_user or ""),
        _date(finding.risk_expires_on),
        safe(finding.status_reason),
    ]


def _filename(extension: str) -> str:
    return f"findings-{timezone.localdate():%Y%m%d}.{extension}"


def csv_response(findings) -> HttpResponse:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns())
    for finding in findings.iterator(chunk_size=500):
        writer.writerow(row(finding))
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(findings) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Findings")[:31])
    sheet.append(columns())
    for finding in findings.iterator(chunk_size=500):
        sheet.append(row(finding))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
