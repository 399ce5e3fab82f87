"""Severity from the registry and the reported harms (QĐ05; DOMAIN.md §c), with its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from ungcuu.incidents.models import Incident
from ungcuu.systems.models import InformationSystem


@dataclass(frozen=True)
class SeverityAssessment:
    severity: str
    reasons: list[str] = field(default_factory=list)


def harm_labels(harms: list[str]) -> list[str]:
    """The harms in words (DOMAIN.md §c), never their codes; an unknown code is shown as it is."""
    labels = dict(Incident.Harm.choices)
    return [str(labels.get(h, h)) for h in harms]


def assess_severity(
    *, system: InformationSystem | None, harms: list[str], exceeds_capacity: bool
) -> SeverityAssessment:
    """SERIOUS when the system is level 4-5 or critical and at least one listed harm occurred (criterion
    (i)), and, if `SEVERITY_REQUIRES_CAPACITY`, the incident exceeds the operator's capacity (criterion
    (ii), [U] in DOMAIN.md §c, so a policy setting). Every reason is returned so the screen can show why."""
    reasons: list[str] = []
    critical = bool(system and system.is_level_4_5_or_critical)
    if system is None:
        reasons.append(_("No registered system is linked, so the level criterion cannot be met."))
    elif critical:
        reasons.append(
            _("System “%(name)s” is level %(level)s%(critical)s.")
            % {
                "name": system.name,
                "level": system.security_level,
                "critical": _(" and on the national critical list") if system.is_critical_national else "",
            }
        )
    else:
        reasons.append(
            _("System “%(name)s” is level %(level)s (below 4, not critical).")
            % {"name": system.name, "level": system.security_level}
        )
    reasons.append(
        _("Listed harms: %(harms)s.") % {"harms": ", ".join(harm_labels(harms))}
        if harms
        else _("None of the listed harms was reported.")
    )
    reasons.append(_capacity_reason(exceeds_capacity))
    needs_capacity = settings.SEVERITY_REQUIRES_CAPACITY
    serious = critical and bool(harms) and (exceeds_capacity or not needs_capacity)
    return SeverityAssessment("SERIOUS" if serious else "NORMAL", reasons)


def _capacity_reason(exceeds_capacity: bool) -> str:
    """Criterion (ii) and whether this platform's policy requires it (DOMAIN.md §c, [U])."""
    state = (
        _("May exceed the operator's capacity.") if exceeds_capacity else _("Within the operator's capacity.")
    )
    if settings.SEVERITY_REQUIRES_CAPACITY:
        policy = _("By this platform's policy, exceeding capacity is required for a serious incident.")
    else:
        policy = _("By this platform's policy, exceeding capacity is not required for a serious incident.")
    return f"{state} {policy}"
