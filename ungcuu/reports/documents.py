"""Each official document as one object: its figures (from the builders), its letterhead, and its content
(`content.py`), as one `nd30.Paper` that the DOCX, PDF and XLSX renderers all read.

Documents are always built in Vietnamese (the platform's language): their wording is fixed by the forms.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from ungcuu.core.nd30.model import Letterhead, Paper
from ungcuu.core.periods import Period
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import Organization
from ungcuu.reports import builders, content, profiles
from ungcuu.reports.access import Scope
from ungcuu.reports.letterhead import issued_elsewhere, letterhead, to
from ungcuu.reports.models import PeriodicReport, ReportKind
from ungcuu.reports.render.charts import charts_for
from ungcuu.reports.serialize import thaw

NATIONAL = "NATIONAL_COORDINATOR"


@dataclass
class Document:
    """What a renderer needs: the kind (names the templates), the figures, the letterhead, a file name."""

    kind: str
    figures: Any
    head: Letterhead
    filename: str

    @functools.cached_property
    def paper(self) -> Paper:
        """The content all three formats are written from (charts drawn once, in Vietnamese)."""
        with translation.override(settings.LANGUAGE_CODE):
            charts = charts_for(self.kind, self.figures)
            build = content.CONTENT[self.kind]
            if self.kind == "province":
                blocks = build(self.figures, charts, issuer=self.head.issuer)
            else:
                blocks = build(self.figures, charts)
        return Paper(self.head, blocks, self.filename)


def in_vietnamese(build):
    """Build under the platform's language whatever the person's interface language."""

    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)

    wrapper.__doc__ = build.__doc__
    return wrapper


def _slug(*parts: str) -> str:
    return "-".join("".join(ch for ch in p if ch.isalnum() or ch == "-") for p in parts if p)


def _code(scope: Scope) -> str:
    return scope.organization.code if scope.organization else "TINH"


@in_vietnamese
def form05_document(
    scope: Scope,
    period: Period,
    *,
    proposals: str = "",
    number: str = "",
    on: datetime.date | None = None,
    signer_title: str = "",
    signer_name: str = "",
    fresh: bool = False,
) -> Document:
    figures = builders.build_form05(scope=scope, period=period, proposals=proposals, fresh=fresh)
    return _form05(figures, scope.organization, number, on, signer_title, signer_name, _code(scope))


def _form05(figures, organization, number, on, signer_title, signer_name, code) -> Document:
    period = figures.period
    title = "BÁO CÁO TỔNG HỢP"
    subtitle = f"Về hoạt động tiếp nhận, xử lý sự cố an toàn thông tin mạng {period.label_vi}"
    on = on or timezone.localdate()
    recipients = [to(NATIONAL, "để báo cáo", on)]
    if organization is not None:
        recipients.append(to("SPECIALISED_UNIT", "để biết", on))
    head = letterhead(
        organization=organization,
        title=title,
        subtitle=subtitle,
        form_code="Mẫu số 05",
        number=number,
        on=on,
        recipients=recipients,
        signer_title=signer_title,
        signer_name=signer_name,
    )
    return Document("form05", figures, head, _slug("mau05", period.key, code))


@in_vietnamese
def received_form05_document(
    figures: builders.Form05, *, parent: str, place: str, on: datetime.date, code: str
) -> Document:
    """A form 05 another instance sent here (the national instance's copy of a province's): its stored
    figures under the sender's own names, in the same layout and formats as the forms issued here."""
    period = figures.period
    head = issued_elsewhere(
        issuer=figures.organization,
        parent=parent,
        place=place,
        on=on,
        title="BÁO CÁO TỔNG HỢP",
        subtitle=f"Về hoạt động tiếp nhận, xử lý sự cố an toàn thông tin mạng {period.label_vi}",
        form_code="Mẫu số 05",
        recipients=[to(NATIONAL, "để báo cáo", on)],
    )
    return Document("form05", figures, head, _slug("mau05", period.key, code))


@in_vietnamese
def unit_document(scope: Scope, period: Period, *, fresh: bool = False) -> Document:
    figures = builders.build_unit_report(scope=scope, period=period, fresh=fresh)
    return _unit(figures, scope.organization, "", timezone.localdate(), "", "", _code(scope))


def _unit(figures, organization, number, on, signer_title, signer_name, code) -> Document:
    head = letterhead(
        organization=organization,
        title="BÁO CÁO",
        subtitle=(
            f"Tình hình, kết quả công tác ứng cứu sự cố an toàn thông tin mạng {figures.period.label_vi}"
        ),
        number=number,
        on=on,
        recipients=[to("SPECIALISED_UNIT", "để tổng hợp", on)],
        signer_title=signer_title,
        signer_name=signer_name,
    )
    return Document("unit", figures, head, _slug("baocao", figures.period.key, code))


@in_vietnamese
def periodic_document(report: PeriodicReport) -> Document:
    """A periodic report: the figures frozen at submission, or built now while it is still a draft."""
    scope, period = Scope.of(report.organization), report_period(report)
    on = timezone.localtime(report.submitted_at).date() if report.submitted_at else timezone.localdate()
    texts = {
        "narrative": report.narrative,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
    }
    args = (
        report.organization,
        report.document_number,
        on,
        report.signer_title,
        report.signer_name,
        report.organization.code,
    )
    if report.kind == ReportKind.FORM05:
        form05 = (
            thaw(builders.Form05, report.figures)
            if report.is_frozen
            else builders.build_form05(scope=scope, period=period)
        )
        form05.proposals = report.proposals
        return _form05(form05, *args)
    unit = (
        thaw(builders.UnitReport, report.figures)
        if report.is_frozen
        else builders.build_unit_report(scope=scope, period=period)
    )
    unit.narrative, unit.difficulties, unit.proposals = (
        texts["narrative"],
        texts["difficulties"],
        texts["proposals"],
    )
    return _unit(unit, *args)


def report_period(report: PeriodicReport) -> Period:
    return report.period


@in_vietnamese
def province_document(period: Period, *, fresh: bool = False) -> Document:
    figures = builders.build_province_report(period=period, fresh=fresh)
    on = timezone.localdate()
    head = letterhead(
        organization=None,
        title="BÁO CÁO",
        subtitle=f"Kết quả công tác ứng cứu sự cố an toàn thông tin mạng trên địa bàn tỉnh {period.label_vi}",
        on=on,
        recipients=[
            to("MINISTRY", "để báo cáo", on),
            to("PROVINCE_PC", "để báo cáo", on),
            to(NATIONAL, "để báo cáo", on),
            to("PROV_STEERING", "để báo cáo", on),
        ],
    )
    return Document("province", figures, head, _slug("baocao-tinh", period.key))


@in_vietnamese
def bulletin_document(period: Period) -> Document:
    figures = builders.build_bulletin(period=period)
    on = timezone.localdate()
    head = letterhead(
        organization=None,
        title="BẢN TIN",
        symbol="BT",
        subtitle=f"An toàn thông tin mạng {period.label_vi}",
        on=on,
        recipients=[
            "Các cơ quan Đảng, đoàn thể cấp tỉnh",
            "Các sở, ban, ngành; UBND các xã, phường",
            to("PROV_STEERING", "để biết", on),
        ],
    )
    return Document("bulletin", figures, head, _slug("bantin", period.key))


@in_vietnamese
def profile_document(organization: Organization, form: str) -> Document:
    figures = profiles.build_member_profile(organization, form=form)
    title = (
        "BẢN KHAI HỒ SƠ THÀNH VIÊN MẠNG LƯỚI ỨNG CỨU SỰ CỐ"
        if form == "01"
        else "ĐƠN ĐĂNG KÝ THAM GIA MẠNG LƯỚI ỨNG CỨU SỰ CỐ"
    )
    on = timezone.localdate()
    head = letterhead(
        organization=organization,
        title=title,
        form_code=f"Mẫu số {form}",
        on=on,
        symbol="ĐK",
        addressees=[to(NATIONAL, on=on)] if form == "02" else [],
        recipients=[to(NATIONAL, on=on), to("SPECIALISED_UNIT", "để biết", on)],
        signer_title="NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT",
    )
    return Document(f"form{form}", figures, head, _slug(f"mau{form}", organization.code))


@in_vietnamese
def form03_document(incident: Incident) -> Document:
    figures = profiles.build_form03(incident)
    on = timezone.localtime(incident.reported_at).date()
    head = letterhead(
        organization=incident.operator,
        title="BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG",
        form_code="Mẫu số 03",
        on=on,
        recipients=[to("SPECIALISED_UNIT", "để xử lý", on), to(NATIONAL, "để báo cáo", on)],
        signer_title="NGƯỜI BÁO CÁO" if incident.operator is None else "",
        signer_name=figures.reporter_name if incident.operator is None else "",
    )
    return Document("form03", figures, head, _slug("mau03", incident.reference))


@in_vietnamese
def form04_document(incident: Incident) -> Document | None:
    figures = profiles.build_form04(incident)
    if figures is None:
        return None
    on = timezone.localtime(incident.closed_at).date() if incident.closed_at else timezone.localdate()
    head = letterhead(
        organization=incident.operator,
        title="BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ",
        form_code="Mẫu số 04",
        on=on,
        recipients=[to("SPECIALISED_UNIT", "để tổng hợp", on), to(NATIONAL, "để báo cáo", on)],
    )
    return Document("form04", figures, head, _slug("mau04", incident.reference))
