"""Severity of a finding from CVSS: vectors are parsed with the maintained `cvss` library, v4 > v3 > v2.

One qualitative scale (the CVSS v3/v4 bands) is used for every version, so that findings from different
scanners sort and count together; a CVSS v2 score of 10.0 is therefore "critical" here, as in most tools.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cvss import CVSS2, CVSS3, CVSS4, CVSSError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Most severe first: the order of tiles, counts and sorting.
SEVERITY_ORDER = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.NONE]
RANK = {severity.value: len(SEVERITY_ORDER) - index for index, severity in enumerate(SEVERITY_ORDER)}
BANDS = (
    (Decimal("9.0"), Severity.CRITICAL),
    (Decimal("7.0"), Severity.HIGH),
    (Decimal("4.0"), Severity.MEDIUM),
    (Decimal("0.1"), Severity.LOW),
)


@dataclass(frozen=True)
class Rating:
    """What a scanner's CVSS data amounts to: the band, the base score and the vector it came from."""

    severity: str
    score: Decimal | None = None
    vector: str = ""


# A scanner's own word for the band (GVM's threat "High", Nmap's "Risk factor: Low"); GVM says "Log" for a
# result that is information only.
WORDS = {**{severity.value: severity for severity in Severity}, "log": Severity.NONE}


def from_word(word: str, default: str = Severity.NONE) -> str:
    """The band a scanner names in words, used only when it gives no CVSS data; `default` for any other."""
    return WORDS.get(word.strip().lower(), default)


def from_score(score: Decimal | None) -> str:
    if score is None:
        return Severity.NONE
    return next((severity for floor, severity in BANDS if score >= floor), Severity.NONE)


def clean_score(value) -> Decimal | None:
    """A tool's base score as one decimal in 0..10; anything else is no score at all."""
    try:
        score = Decimal(str(value).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    # "NaN" parses, and then refuses to be compared: not a score either.
    return score if score.is_finite() and Decimal(0) <= score <= Decimal(10) else None


def parse_vector(vector: str) -> tuple[Decimal, str] | None:
    """(base score, normalised vector) or None when the vector is missing or malformed."""
    text = vector.strip().removeprefix("CVSS2#").strip("()")
    if not text:
        return None
    try:
        if text.startswith("CVSS:4."):
            return Decimal(str(CVSS4(text).base_score)), text
        if text.startswith("CVSS:3."):
            parsed3 = CVSS3(text)
            return Decimal(str(parsed3.base_score)), parsed3.clean_vector()
        parsed2 = CVSS2(text)
        return Decimal(str(parsed2.base_score)), parsed2.clean_vector()
    except (CVSSError, ValueError, KeyError, IndexError):
        return None


def _version(vector: str) -> int:
    return 4 if vector.startswith("CVSS:4.") else 3 if vector.startswith("CVSS:3.") else 2


def rate(*, vectors: Iterable[str] = (), score=None, fallback: str = Severity.NONE) -> Rating:
    """The newest parseable vector wins; else the tool's base score; else the tool's own label."""
    parsed = [p for p in (parse_vector(v or "") for v in vectors) if p is not None]
    if parsed:
        best_score, best_vector = max(parsed, key=lambda p: _version(p[1]))
        return Rating(from_score(best_score), best_score, best_vector)
    tool_score = clean_score(score) if score is not None else None
    if tool_score is not None:
        return Rating(from_score(tool_score), tool_score)
    return Rating(fallback if fallback in Severity.values else Severity.NONE)
