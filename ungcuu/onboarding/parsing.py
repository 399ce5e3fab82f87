"""Cell values as provinces write them, turned into the registry's values (or a row error)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import override

from ungcuu.core.text import fold
from ungcuu.organizations.models import FocalPoint, Kind
from ungcuu.systems.models import InformationSystem

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_LEVEL_WORDS = re.compile(r"^(?:cap do|cap|level|muc)\s*")
_YES = {"co", "x", "yes", "y", "1", "true", "dung"}
_NO = {"", "khong", "no", "n", "0", "false"}


def parse_level(text: str) -> int:
    """“Cấp độ 3”, “3”, “III”, “cấp 3”, “Level 3” → 3."""
    word = _LEVEL_WORDS.sub("", fold(text)).strip(" .")
    level = _ROMAN.get(word) or (int(word) if word.isdigit() else None)
    if level is None or not 1 <= level <= 5:
        raise ValidationError(
            _("Level “%(value)s” is not 1 to 5 (write e.g. “3”, “Cấp độ 3” or “III”)."),
            params={"value": text},
        )
    return level


def _choice(text: str, choices, aliases: Mapping[str, str], what: str, default: str) -> str:
    """A choice by its code, its Vietnamese or English label, or a known alias (all compared folded)."""
    key = fold(text)
    if not key:
        return default
    known: dict[str, str] = dict(aliases)
    for value, label in choices:
        known[fold(value)] = value
        known[fold(str(label))] = value
        with override("vi"):
            known[fold(str(label))] = value
    if key in known:
        return known[key]
    raise ValidationError(_("%(what)s “%(value)s” is not known."), params={"what": what, "value": text})


def parse_kind(text: str, default: str = Kind.OPERATOR) -> str:
    aliases = {
        "chu quan": Kind.PROVINCE_PC,
        "ubnd tinh": Kind.PROVINCE_PC,
        "so": Kind.OPERATOR,
        "so, nganh": Kind.OPERATOR,
        "don vi van hanh": Kind.OPERATOR,
        "ubnd huyen": Kind.DISTRICT_FOCAL,
        "xa": Kind.COMMUNE,
        "ubnd xa": Kind.COMMUNE,
        "ubnd cap xa": Kind.COMMUNE,
        "phuong": Kind.COMMUNE,
        "cong an": Kind.POLICE,
        "vien thong": Kind.ISP,
    }
    return _choice(text, Kind.choices, aliases, _("Organization type"), default)


def parse_state(text: str) -> str:
    State = InformationSystem.DossierState
    aliases = {
        "de xuat": State.PROPOSED,
        "chua tham dinh": State.PROPOSED,
        "dang xay dung": State.PROPOSED,
        "da tham dinh": State.APPRAISED,
        "da phe duyet": State.APPROVED,
        "da duoc phe duyet": State.APPROVED,
        "phe duyet": State.APPROVED,
    }
    return _choice(text, State.choices, aliases, _("Dossier state"), State.PROPOSED)


def parse_system_type(text: str, default: str) -> str:
    Type = InformationSystem.SystemType
    return _choice(text, Type.choices, {"noi bo": Type.INTERNAL}, _("System type"), default)


def parse_duty(text: str, default: str) -> str:
    return _choice(text, FocalPoint.Duty.choices, {}, _("Duty"), default)


def parse_bool(text: str) -> bool:
    key = fold(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValidationError(_("Write “Có” or “Không”, not “%(value)s”."), params={"value": text})


def parse_date(text: str) -> datetime.date | None:
    if not text.strip():
        return None
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 a date, no time
        except ValueError:
            continue
    raise ValidationError(_("Date “%(value)s” is not dd/mm/yyyy."), params={"value": text})


def parse_software(text: str) -> list[dict]:
    """One product per line (or separated by “|”): “vendor; product; version”, or just a product."""
    out = []
    for line in re.split(r"[\n|]", text or ""):
        parts = [p.strip() for p in line.split(";")]
        if not any(parts):
            continue
        if len(parts) > 3:
            raise ValidationError(
                _("Software “%(value)s”: write “vendor; product; version”."), params={"value": line}
            )
        vendor, product, version = (["", *parts, ""] if len(parts) == 1 else [*parts, ""])[:3]
        if not product:
            raise ValidationError(_("Software “%(value)s” has no product name."), params={"value": line})
        out.append({"vendor": vendor[:100], "product": product[:150], "version": version[:60]})
    return out


def software_text(items) -> str:
    return "\n".join("; ".join(p for p in (s["vendor"], s["product"], s["version"])) for s in items)


def ip_text(text: str) -> str:
    """“203.0.113. 10” (a space typed inside an address) → “203.0.113.10”; other spaces still separate."""
    return re.sub(r"[ \t\u00a0]*([.:/])[ \t\u00a0]*", r"\1", text or "")
