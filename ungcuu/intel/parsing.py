"""Reading what others send: a STIX 2.1 bundle or a MISP event, turned into candidate indicators.

Nothing here touches the database. The outcome is `Parsed`: the indicators found (each with the id of the
object it came from, for id-based re-import), the objects skipped with the reason (unknown or unsupported
types: listed, not fatal), and the errors (an indicator whose pattern or value is invalid: the import is
refused as a whole, so nothing is half-written). Limits are checked before any object is read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import stix2
import stix2.exceptions
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pymisp import MISPEvent
from stix2patterns.exceptions import ParseException
from stix2patterns.v21.pattern import Pattern

from ungcuu.advisories.models import IndicatorKind
from ungcuu.advisories.validators import detect_kind, normalize_indicator
from ungcuu.intel import fast

MAX_LISTED = 50  # skipped objects and errors kept for the page; the counts stay exact


class TooLarge(Exception):
    """The upload is above the configured limits: answered 413, nothing read further."""


@dataclass(frozen=True)
class Candidate:
    source_id: str
    kind: str
    value: str


@dataclass
class Parsed:
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    skipped_count: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def skip(self, source_id: str, object_type: str, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < MAX_LISTED:
            self.skipped.append({"id": source_id, "type": object_type, "reason": reason})

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(message)

    def add(self, source_id: str, kind: str | None, value: str) -> None:
        try:
            kind, canonical = normalize_indicator(kind, value)
        except ValidationError as exc:
            self.error(f"{source_id}: {' '.join(exc.messages)}")
            return
        self.candidates.append(Candidate(source_id, kind, canonical))


def max_bytes() -> int:
    return settings.INTEL_IMPORT_MAX_BYTES


def max_objects() -> int:
    return settings.INTEL_IMPORT_MAX_OBJECTS


def load_json(raw: bytes):
    """The document, or a ValidationError a person can act on; TooLarge above the byte limit."""
    if len(raw) > max_bytes():
        raise TooLarge(
            _("The file is %(size)s bytes; at most %(max)s bytes are accepted per import.")
            % {"size": len(raw), "max": max_bytes()}
        )
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ValidationError(_("The file is not valid JSON.")) from exc


def _check_count(count: int) -> None:
    if count > max_objects():
        raise TooLarge(
            _(
                "The file holds %(count)s objects; at most %(max)s are imported at once. "
                "Split it into smaller files."
            )
            % {"count": count, "max": max_objects()}
        )


# --- STIX 2.1 ---------------------------------------------------------------------------------------

# Pattern paths we store, by STIX object type; anything else in a pattern is not an indicator we keep.
STIX_PATHS: dict[tuple[str, tuple[str, ...]], str | None] = {
    ("ipv4-addr", ("value",)): IndicatorKind.IPV4,
    ("ipv6-addr", ("value",)): IndicatorKind.IPV6,
    ("domain-name", ("value",)): IndicatorKind.DOMAIN,
    ("url", ("value",)): IndicatorKind.URL,
    ("email-addr", ("value",)): IndicatorKind.EMAIL,
    ("email-message", ("from_ref", "value")): IndicatorKind.EMAIL,
    ("file", ("hashes", "MD5")): IndicatorKind.MD5,
    ("file", ("hashes", "SHA-1")): IndicatorKind.SHA1,
    ("file", ("hashes", "SHA-256")): IndicatorKind.SHA256,
}


def parse_stix(raw: bytes) -> Parsed:
    """The indicators of a STIX 2.1 bundle; other object types are skipped and listed."""
    data = load_json(raw)
    objects = data.get("objects") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("type") != "bundle" or not isinstance(objects, list):
        raise ValidationError(
            _("The file is not a STIX 2.1 bundle (an object of type “bundle” with “objects”).")
        )
    _check_count(len(objects))
    parsed = Parsed()
    for position, obj in enumerate(objects, start=1):
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
            parsed.error(_("Object %(n)s has no type.") % {"n": position})
        elif obj["type"] != "indicator":
            parsed.skip(str(obj.get("id", position)), obj["type"], _("not an indicator"))
        else:
            _read_stix_indicator(parsed, obj, position)
    return parsed


def _read_stix_indicator(parsed: Parsed, obj: dict, position: int) -> None:
    source_id = str(obj.get("id") or position)
    comparisons = fast.comparisons(obj)
    if comparisons is None:
        try:
            comparisons = _comparisons_by_stix2(parsed, obj, source_id)
        except (stix2.exceptions.STIXError, ParseException, ValueError, TypeError, KeyError) as exc:
            parsed.error(f"{source_id}: {exc}"[:500])
            return
        if comparisons is None:
            return
    _take_comparisons(parsed, source_id, comparisons)


def _comparisons_by_stix2(parsed: Parsed, obj: dict, source_id: str) -> dict | None:
    """The reference path, for any indicator the fast check is not sure of: stix2 checks the object (and
    its pattern, by the grammar), then the pattern is read once more for its comparisons."""
    indicator = stix2.parse(obj, allow_custom=True, version="2.1")
    if indicator.pattern_type != "stix":
        parsed.skip(
            source_id, "indicator", _("pattern type “%(t)s” is not read") % {"t": indicator.pattern_type}
        )
        return None
    return Pattern(indicator.pattern).inspect().comparisons


def _take_comparisons(parsed: Parsed, source_id: str, comparisons: dict) -> None:
    found = False
    for object_type, items in comparisons.items():
        for path, operator, value in items:
            kind = STIX_PATHS.get((object_type, tuple(str(p) for p in path)))
            if kind is None or operator != "=" or not _is_string(value):
                continue
            text = _unquote(value)
            if kind == IndicatorKind.IPV4 and "/" in text and not text.endswith("/32"):
                parsed.skip(source_id, "indicator", _("address ranges are not stored: %(v)s") % {"v": text})
                found = True
                continue
            parsed.add(source_id, kind, text.removesuffix("/32"))
            found = True
    if not found:
        parsed.skip(source_id, "indicator", _("the pattern names no IP, domain, URL, e-mail or file hash"))


def _is_string(value: str) -> bool:
    return len(value) >= 2 and value[0] == value[-1] == "'"


def _unquote(value: str) -> str:
    return value[1:-1].replace("\\'", "'").replace("\\\\", "\\")


# --- MISP -------------------------------------------------------------------------------------------

# MISP attribute types we store, with the kind when it is fixed (None: detected from the value, as an
# ip-dst may be IPv4 or IPv6). Composite types ("filename|sha256", "ip-dst|port") keep the part we know.
MISP_TYPES: dict[str, str | None] = {
    "ip-src": None,
    "ip-dst": None,
    "domain": IndicatorKind.DOMAIN,
    "hostname": IndicatorKind.DOMAIN,
    "url": IndicatorKind.URL,
    "link": IndicatorKind.URL,
    "md5": IndicatorKind.MD5,
    "sha1": IndicatorKind.SHA1,
    "sha256": IndicatorKind.SHA256,
    "email": IndicatorKind.EMAIL,
    "email-src": IndicatorKind.EMAIL,
    "email-dst": IndicatorKind.EMAIL,
}
MISP_COMPOSITE: dict[str, tuple[int, str | None]] = {
    "ip-src|port": (0, None),
    "ip-dst|port": (0, None),
    "domain|ip": (0, IndicatorKind.DOMAIN),
    "hostname|port": (0, IndicatorKind.DOMAIN),
    "filename|md5": (1, IndicatorKind.MD5),
    "filename|sha1": (1, IndicatorKind.SHA1),
    "filename|sha256": (1, IndicatorKind.SHA256),
}


def parse_misp(raw: bytes) -> Parsed:
    """The attributes of a MISP event (its own and its objects'), read by pymisp's object model."""
    data = load_json(raw)
    if not isinstance(data, dict) or not isinstance(data.get("Event", data), dict):
        raise ValidationError(_("The file is not a MISP event (an object with “Event”)."))
    body = data.get("Event", data)
    if "info" not in body and "Attribute" not in body and "Object" not in body:
        raise ValidationError(_("The file is not a MISP event (an object with “Event”)."))
    count = len(body.get("Attribute") or []) + sum(
        len(o.get("Attribute") or []) for o in (body.get("Object") or []) if isinstance(o, dict)
    )
    _check_count(count)
    event = MISPEvent()
    try:
        event.load(data)
    except Exception as exc:  # noqa: BLE001 - pymisp raises many types (KeyError, PyMISPError, …) for bad input
        raise ValidationError(_("The MISP event could not be read: %(e)s") % {"e": str(exc)[:300]}) from exc
    parsed = Parsed()
    attributes = list(event.attributes) + [a for o in event.objects for a in o.attributes]
    for attribute in attributes:
        _read_misp_attribute(parsed, attribute)
    return parsed


def _read_misp_attribute(parsed: Parsed, attribute) -> None:
    source_id = f"misp:{attribute.uuid}"
    kind_of = attribute.type
    value = str(attribute.value)
    if kind_of in MISP_TYPES:
        kind = MISP_TYPES[kind_of]
    elif kind_of in MISP_COMPOSITE:
        index, kind = MISP_COMPOSITE[kind_of]
        parts = value.split("|")
        if len(parts) != 2:
            parsed.error(f"{source_id}: “{value[:80]}” is not of the form a|b.")
            return
        value = parts[index]
    else:
        parsed.skip(source_id, kind_of, _("attribute type not stored as an indicator"))
        return
    if kind is None:
        try:
            kind = detect_kind(value)
        except ValidationError as exc:
            parsed.error(f"{source_id}: {' '.join(exc.messages)}")
            return
        if kind not in (IndicatorKind.IPV4, IndicatorKind.IPV6):
            parsed.error(f"{source_id}: “{value[:80]}” is not an IP address.")
            return
    parsed.add(source_id, kind, value)
