"""Who issues a document, under whose letterhead, to whom and with whose signature: one rule for every
form and report (DOMAIN.md §l), written as an `nd30.Letterhead`.

- The issuer is the organisation the document is about (its own forms and reports); the province's
  documents (province report, bulletin, the province's form 05) come from the specialised unit.
- The governing body is printed above the issuer: the organisation's owner or parent, for the specialised
  unit the provincial People's Committee.
- The signer's title follows the issuing body (Giám đốc for a Sở, Chủ tịch for a UBND, signing "TM." the
  committee), unless the report names its own signer.
- Recipients follow from the purpose; the issuer is never its own recipient ("Lưu: VT" aside).
Body names are read through `core.bodies` on the document's own date.
"""

from __future__ import annotations

import datetime

from ungcuu.core.bodies import body_name, body_names, province_name
from ungcuu.core.nd30.model import (
    Letterhead,
    Signature,
    number_line,
    place_and_date,
    recipient_lines,
    signer_for,
    symbol_of,
)
from ungcuu.core.text import fold
from ungcuu.organizations.models import Kind, Organization

NBSP = "\u00a0"


def specialised_unit() -> Organization | None:
    return Organization.objects.filter(kind=Kind.SPECIALISED_UNIT, is_active=True).order_by("pk").first()


def bodies_for(organization: Organization | None, on: datetime.date) -> tuple[str, str]:
    """(governing body, issuing body); the province's documents come from the specialised unit."""
    if organization is None:
        bodies = body_names(on)
        return bodies["PROVINCE_PC"], bodies["SPECIALISED_UNIT"]
    # Both names on the document's date (DOMAIN.md §k): a renamed body prints the name it had then.
    parent = organization.owner_name or (organization.parent.name_on(on) if organization.parent else "")
    return parent, organization.name_on(on)


def own_names(organization: Organization | None, issuer: str, on: datetime.date) -> list[str]:
    """The names the issuer goes by: its own, and the body name of the role it holds (so the specialised
    unit never sends its own documents to "Sở KH&CN")."""
    bodies = body_names(on)
    role = Kind.SPECIALISED_UNIT if organization is None else Kind(organization.kind)
    return [issuer, bodies.get(role.name, "")]


def to(body_key: str, purpose: str = "", on: datetime.date | None = None) -> str:
    """A "Nơi nhận" line for one of the configured bodies (DOMAIN.md §k: names change, keys do not)."""
    name = body_name(body_key, on)
    return f"{name} ({purpose})" if purpose else name


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
    addressees: list[str] | None = None,
    signer_title: str = "",
    signer_name: str = "",
    summary: str = "",
) -> Letterhead:
    parent, issuer = bodies_for(organization, on)
    signature = signer_for(issuer)
    if signer_title.strip():
        signature = Signature(signer_title.strip(), authority="")
    signature.name = signer_name.strip()
    return Letterhead(
        parent_body=parent.upper(),
        issuing_body=issuer.upper(),
        issuer_name=issuer,
        number=number_line(number, kind=symbol, symbol=symbol_of(issuer)),
        place_date=place_and_date(province_name(), on),
        title=title,
        subtitle=subtitle,
        summary=summary,
        form_code=form_code,
        addressees=[
            a
            for a in (addressees or [])
            if fold(a) not in {fold(n) for n in own_names(organization, issuer, on)}
        ],
        recipients=recipient_lines(own_names(organization, issuer, on), recipients or []),
        signature=signature,
    )


def issued_elsewhere(
    *,
    issuer: str,
    parent: str,
    place: str,
    on: datetime.date,
    title: str,
    subtitle: str = "",
    form_code: str = "",
    recipients: list[str] | None = None,
) -> Letterhead:
    """The letterhead of a document another instance issued and sent here (a province's form 05 read on
    the national instance): the names it sent, never this instance's own bodies."""
    return Letterhead(
        parent_body=parent.upper(),
        issuing_body=issuer.upper(),
        issuer_name=issuer,
        number=number_line("", kind="BC", symbol=symbol_of(issuer)),
        place_date=place_and_date(place, on),
        title=title,
        subtitle=subtitle,
        form_code=form_code,
        recipients=recipient_lines([issuer], recipients or []),
        signature=signer_for(issuer),
    )
