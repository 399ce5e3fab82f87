"""The template and the export: the same sheets and headings the import reads, so a province can
round-trip (export, edit, import: only the edits change)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ungcuu.core.exports import is_formula_like
from ungcuu.onboarding.columns import FOCAL_POINTS, ORGANIZATIONS, SHEETS, SYSTEMS, Sheet
from ungcuu.onboarding.parsing import software_text
from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.systems.models import InformationSystem


def safe_cell(value) -> str:
    """Cells are written as text; one that a spreadsheet would run as a formula gets an apostrophe, by the
    product's one rule (core.exports.is_formula_like); the import takes it off again."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text


def _yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def organization_rows():
    for org in Organization.objects.select_related("parent").order_by("code"):
        yield [
            org.code,
            org.name,
            org.short_name,
            org.get_kind_display(),
            org.parent.code if org.parent else "",
            org.address,
            org.phone,
            org.email,
            org.website,
        ]


def focal_point_rows():
    contacts = FocalPoint.objects.filter(is_active=True).select_related("organization")
    for fp in contacts.order_by("organization__code", "full_name", "id"):
        yield [
            fp.organization.code,
            fp.full_name,
            fp.title,
            fp.get_duty_display(),
            fp.office_phone,
            fp.mobile,
            fp.email,
            _yes_no(fp.is_24x7),
        ]


def system_rows():
    systems = InformationSystem.objects.select_related("owner", "operator").prefetch_related("software")
    for s in systems.order_by("operator__code", "name", "id"):
        software = [
            {"vendor": p.vendor, "product": p.product, "version": p.version}
            for p in sorted(s.software.all(), key=lambda p: p.id)
        ]
        yield [
            s.name,
            s.owner.code,
            s.operator.code,
            str(s.security_level),
            s.get_dossier_state_display(),
            s.decision_number,
            _date(s.decision_date),
            s.get_system_type_display(),
            "\n".join(s.public_ips),
            "\n".join(s.domains),
            software_text(software),
            s.os_name,
            s.purpose,
        ]


ROWS = {ORGANIZATIONS.kind: organization_rows, FOCAL_POINTS.kind: focal_point_rows, SYSTEMS.kind: system_rows}


def workbook_bytes(*, with_data: bool) -> bytes:
    """The Vietnamese workbook: one sheet per kind, headings in row 1; the registry's rows if asked."""
    book = Workbook(write_only=True)
    with override("vi"):  # the template's values (types, states) are written as the import reads them
        for sheet in SHEETS:
            ws = book.create_sheet(sheet.title)
            ws.append([_bold_heading(ws, c.heading) for c in sheet.columns])
            if with_data:
                for row in ROWS[sheet.kind]():
                    ws.append([safe_cell(v) for v in row])
        _guide(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    """One sheet as CSV (UTF-8 with BOM, so Excel shows Vietnamese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.heading for c in sheet.columns])
    with override("vi"):
        for row in ROWS[sheet.kind]():
            writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _bold_heading(ws, text: str):
    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(bold=True)
    return cell


def _guide(book: Workbook) -> None:
    ws = book.create_sheet("Hướng dẫn")
    for line in GUIDE:
        ws.append([str(line)])


GUIDE = [
    _("How to fill this workbook"),
    _("One sheet per kind of row; keep the headings. Rows above the headings (titles) are ignored."),
    _("Organizations: Mã đơn vị is the key; without it the exact name is. Đơn vị cấp trên: code or name."),
    _("Focal points: Đơn vị is the organization's code or exact name. Trực 24/7: Có or Không."),
    _("Systems: Cấp độ 1 to 5 (“3”, “Cấp độ 3” or “III”). Đơn vị chủ quản / vận hành: code or name."),
    _("Trạng thái hồ sơ: Đề xuất, Đã thẩm định or Đã phê duyệt (with Số and Ngày quyết định, dd/mm/yyyy)."),
    _("Địa chỉ IP, Tên miền: one per line. Phần mềm: one per line, “vendor; product; version”."),
    _("Type in Unicode fonts (Times New Roman, Arial); text in TCVN3/VNI fonts is refused."),
]
