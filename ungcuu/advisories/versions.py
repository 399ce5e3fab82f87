"""Version constraints of affected products, and the test "does this installed version fall within them".

Grammar (what advisories actually print): alternatives separated by `||`, each a comma-separated list of
clauses; a clause is an operator (`==`, `!=`, `<`, `<=`, `>`, `>=`) and a version, or a bare version
meaning `==`. `9.0.*` matches a whole series. Empty or `*` means every version.

    9.0.65            <9.0.80            >=6.0,<6.2.3            >=9.0.0,<9.0.81 || >=10.1.0,<10.1.14

Versions are compared with `packaging.version` (PEP 440 ordering: 6.2 == 6.2.0 < 6.2.3 < 6.10). Vendor
spellings that PEP 440 refuses are reduced to it first: a patch level such as "8.8.15_P41" or
"8.8.15 Patch 41" becomes the post-release 8.8.15.post41, and a trailing edition letter ("19c") is dropped.
A version that still cannot be read is *unknown*: `matches` then answers None, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

_CLAUSE = re.compile(r"^(==|!=|<=|>=|<|>|=)?\s*([0-9][0-9A-Za-z.*+_ -]*)$")
_PATCH = re.compile(r"^(\d+(?:\.\d+)*)[\s._-]*(?:p|patch|sp|u|update)\s*(\d+)$", re.IGNORECASE)
_LEADING = re.compile(r"^v?(\d+(?:\.\d+)*)")
# Oracle-style editions (9i, 11g, 19c) are not pre-releases, which PEP 440 would read "c" as.
_EDITION = re.compile(r"^(\d+(?:\.\d+)*)[cgi]$", re.IGNORECASE)
ALL_VERSIONS = {"", "*", "any", "all"}


def parse_version(text: str) -> Version | None:
    """A comparable version, or None when the text is not a version at all."""
    text = (text or "").strip()
    if not text:
        return None
    if edition := _EDITION.match(text):
        return Version(edition.group(1))
    try:
        return Version(text)
    except InvalidVersion:
        pass
    if patch := _PATCH.match(text):
        return Version(f"{patch.group(1)}.post{patch.group(2)}")
    leading = _LEADING.match(text)
    return Version(leading.group(1)) if leading else None


@dataclass(frozen=True)
class Constraint:
    """A parsed constraint: any of the alternatives (each a PEP 440 specifier set) admits the version."""

    text: str
    alternatives: tuple[SpecifierSet, ...]

    @property
    def is_everything(self) -> bool:
        return not self.alternatives

    def matches(self, version_text: str) -> bool | None:
        """True or False; None when the installed version is unknown and the constraint needs one."""
        if self.is_everything:
            return True
        version = parse_version(version_text)
        if version is None:
            return None
        return any(spec.contains(version, prereleases=True) for spec in self.alternatives)


def parse_constraint(text: str) -> Constraint:
    """Parse the grammar above; a clause that is not understood raises ValidationError naming it."""
    cleaned = " ".join((text or "").split())
    if cleaned.lower() in ALL_VERSIONS:
        return Constraint(cleaned, ())
    alternatives = tuple(_alternative(part) for part in cleaned.split("||"))
    return Constraint(cleaned, alternatives)


def _alternative(text: str) -> SpecifierSet:
    clauses = [c.strip() for c in text.split(",")]
    if not all(clauses):
        raise ValidationError(_("“%(text)s” has an empty part.") % {"text": text.strip()})
    try:
        return SpecifierSet(",".join(_clause(c) for c in clauses))
    except InvalidSpecifier as exc:
        raise ValidationError(_("“%(text)s” is not a version range.") % {"text": text.strip()}) from exc


def _clause(text: str) -> str:
    match = _CLAUSE.match(text)
    if not match:
        raise ValidationError(
            _("“%(text)s” is not a version or a range such as <9.0.80 or >=6.0,<6.2.3.") % {"text": text}
        )
    operator, raw = match.group(1) or "==", match.group(2).strip()
    if operator == "=":
        operator = "=="
    if raw.endswith(".*"):
        if operator not in {"==", "!="}:
            raise ValidationError(_("A series like 9.0.* can only be matched with == or !=."))
        head = parse_version(raw[:-2])
        if head is None:
            raise ValidationError(_("“%(text)s” is not a version.") % {"text": raw})
        return f"{operator}{head}.*"
    version = parse_version(raw)
    if version is None:
        raise ValidationError(_("“%(text)s” is not a version.") % {"text": raw})
    return f"{operator}{version}"
