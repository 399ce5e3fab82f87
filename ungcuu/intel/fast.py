"""The common STIX indicator, checked without building stix2 objects or running the pattern grammar.

Most feeds send plain indicators: one comparison such as `[ipv4-addr:value = '…']` and a handful of the
standard properties. Reading each through stix2 cost about 0.75 ms an object, two thirds of it the ANTLR
pattern grammar run twice (stix2's check, then the inspector); profiled with bench/intel_import.py. An
object of exactly that shape, checked here by the rules stix2 itself applies to those properties, is read
in microseconds. Anything else (another property, another pattern shape, a value this check is not sure
of) answers None and takes the stix2 path (`parsing._comparisons_by_stix2`), so every refusal and its
message is still stix2's: this module only ever accepts, never refuses.
"""

from __future__ import annotations

import datetime
import re

# Version 4 or not, a STIX 2.1 identifier's UUID must be of the RFC 4122 variant (stix2 `_check_uuid`).
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
ID = re.compile(rf"indicator--{_UUID}")
IDENTITY_REF = re.compile(rf"identity--{_UUID}")
MARKING_REF = re.compile(rf"marking-definition--{_UUID}")
# stix2 reads timestamps with strptime("%Y-%m-%dT%H:%M:%S[.%f]Z"); this is the strict part of that.
TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z")
# One comparison of a string literal, in the grammar's own terms: a literal is quoted with ' and escapes
# only ' and \ (StringLiteral); spaces around the tokens are the only whitespace taken here.
_LITERAL = r"'(?:[^'\\]|\\['\\])*'"
VALUE_PATTERN = re.compile(
    rf"\[ *(ipv4-addr|ipv6-addr|domain-name|url|email-addr):value *= *({_LITERAL}) *\]"
)
# File hashes: the pattern validator checks the value's form for these names, so the check is the same.
HASH_PATTERN = re.compile(r"\[ *file:hashes\.(MD5|'MD5'|'SHA-1'|'SHA-256') *= *'([0-9a-fA-F]+)' *\]")
HASH_LENGTHS = {"MD5": 32, "SHA-1": 40, "SHA-256": 64}

STRINGS = {"name", "description", "lang"}
STRING_LISTS = {"indicator_types", "labels"}
TIMESTAMPS = {"created", "modified", "valid_from", "valid_until"}
KNOWN = (
    {"type", "spec_version", "id", "pattern", "pattern_type", "pattern_version", "revoked", "confidence"}
    | {"created_by_ref", "object_marking_refs"}
    | STRINGS
    | STRING_LISTS
    | TIMESTAMPS
)


def comparisons(obj: dict) -> dict[str, list[tuple[tuple[str, ...], str, str]]] | None:
    """The pattern's comparisons in the inspector's form ({object type: [(path, "=", "'literal'")]}) if
    `obj` is a plain indicator stix2 would accept; None when not sure (the caller asks stix2)."""
    if not (obj.keys() <= KNOWN and _properties_fine(obj) and _times_fine(obj)):
        return None
    if obj["pattern_type"] != "stix" or obj.get("pattern_version", "2.1") != "2.1":
        return None
    return _pattern(obj["pattern"])


def _properties_fine(obj: dict) -> bool:
    if obj.get("type") != "indicator" or obj.get("spec_version", "2.1") != "2.1":
        return False
    if not (isinstance(obj.get("id"), str) and ID.fullmatch(obj["id"])):
        return False
    if not (isinstance(obj.get("pattern"), str) and isinstance(obj.get("pattern_type"), str)):
        return False
    checks = (
        all(isinstance(obj[name], str) for name in STRINGS & obj.keys()),
        all(_strings(obj[name]) for name in STRING_LISTS & obj.keys()),
        type(obj.get("revoked", False)) is bool,
        type(obj.get("confidence", 0)) is int,
        "created_by_ref" not in obj or _ref(IDENTITY_REF, obj["created_by_ref"]),
        "object_marking_refs" not in obj or _refs(MARKING_REF, obj["object_marking_refs"]),
    )
    return all(checks)


def _strings(value) -> bool:
    # stix2 drops an empty list as if absent and turns anything into a string: only the plain case here.
    return isinstance(value, list) and bool(value) and all(isinstance(item, str) for item in value)


def _ref(pattern: re.Pattern, value) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _refs(pattern: re.Pattern, value) -> bool:
    return isinstance(value, list) and bool(value) and all(_ref(pattern, item) for item in value)


def _times_fine(obj: dict) -> bool:
    times = {}
    for name in TIMESTAMPS & obj.keys():
        moment = timestamp(obj[name])
        if moment is None:
            return False
        times[name] = moment
    if "valid_until" in times:  # stix2: valid_until must be later than valid_from (present, not defaulted)
        return "valid_from" in times and times["valid_until"] > times["valid_from"]
    return True


def timestamp(value) -> datetime.datetime | None:
    match = TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        return datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=datetime.UTC,
        )
    except ValueError:  # 30 February, hour 24: stix2 says what is wrong
        return None


def _pattern(pattern: str) -> dict[str, list[tuple[tuple[str, ...], str, str]]] | None:
    match = VALUE_PATTERN.fullmatch(pattern)
    if match is not None:
        return {match[1]: [(("value",), "=", match[2])]}
    match = HASH_PATTERN.fullmatch(pattern)
    if match is not None:
        name = match[1].strip("'")
        if len(match[2]) != HASH_LENGTHS[name]:
            return None  # the validator's "not a valid … hash", in its words
        return {"file": [(("hashes", name), "=", f"'{match[2]}'")]}
    return None
