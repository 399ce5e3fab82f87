"""The administrative document format (Decree 30/2020/NĐ-CP) shared by every form and report.

National emblem line and motto, issuing body under its governing body, number and symbol, place and date,
then (after the body) the recipients and the signature block. Documents are always written in Vietnamese:
their wording is fixed by the regulations, whatever language the person previewing them uses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ungcuu.core.bodies import body_name, body_names, province_name
from ungcuu.organizations.models import Kind, Organization

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGN_AND_SEAL = "(Ký, ghi rõ họ tên và đóng dấu)"
FILING = "Lưu: VT."
NBSP = "\u00a0"  # the blank number survives HTML and Word as the clerk's space


@dataclass
class Letterhead:
    """Everything around a document's body, in the administrative format."""

    parent_body: str
    issuing_body: str  # upper case, as the header prints it
    issuer: str  # as written in a sentence
    number: str
    place_date: str
    title: str
    subtitle: str = ""
    form_code: str = ""
    recipients: list[str] = field(default_factory=list)
    signer_title: str = "THỦ TRƯỞNG ĐƠN VỊ"
    signer_name: str = ""
    signer_note: str = SIGN_AND_SEAL
    nation: str = NATION
    motto: str = MOTTO


def vietnamese_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 11 năm 2026": a zero before days under 10 and the months January and February."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(day: datetime.date) -> str:
    return f"{province_name()}, {vietnamese_date(day)}"


def symbol_of(organization: Organization | None) -> str:
    """The issuer's abbreviation in a number such as "12/BC-SOKHCN": its code without punctuation."""
    org = organization or specialised_unit()
    return "".join(ch for ch in (org.code if org else "") if ch.isalnum())


def number_line(number: str, *, kind: str, organization: Organization | None) -> str:
    """ "Số: 12/BC-SOKHCN", or a blank for the clerk to fill in when the document is registered."""
    if number.strip():
        return f"Số: {number.strip()}"
    return f"Số:{NBSP * 10}/{kind}-{symbol_of(organization)}"


def specialised_unit() -> Organization | None:
    return Organization.objects.filter(kind=Kind.SPECIALISED_UNIT, is_active=True).order_by("pk").first()


def bodies_for(organization: Organization | None) -> tuple[str, str]:
    """(governing body, issuing body); the province's documents come from the specialised unit."""
    bodies = body_names()
    if organization is None:
        return bodies["PROVINCE_PC"], bodies["SPECIALISED_UNIT"]
    parent = organization.owner_name or (organization.parent.name if organization.parent else "")
    return parent, organization.name


def letterhead(
    *,
    organization: Organization | None,
    title: str,
    on: datetime.date,
    subtitle: str = "",
    form_code: str = "",
    number: str = "",
    symbol: str = "BC",
    recipients: list[str] | None = None,
    signer_title: str = "",
    signer_name: str = "",
) -> Letterhead:
    parent, issuer = bodies_for(organization)
    return Letterhead(
        parent_body=parent.upper(),
        issuing_body=issuer.upper(),
        issuer=issuer,
        number=number_line(number, kind=symbol, organization=organization),
        place_date=place_and_date(on),
        title=title,
        subtitle=subtitle,
        form_code=form_code,
        recipients=[*(recipients or []), FILING],
        signer_title=(signer_title or "THỦ TRƯỞNG ĐƠN VỊ").upper(),
        signer_name=signer_name,
    )


def to(body_key: str, purpose: str = "") -> str:
    """A "Nơi nhận" line for one of the configured bodies (DOMAIN.md §k: names change, keys do not)."""
    name = body_name(body_key)
    return f"{name} ({purpose});" if purpose else f"{name};"
