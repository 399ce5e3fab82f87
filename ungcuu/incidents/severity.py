"""Severity from the registry and the reported harms (QĐ05; DOMAIN.md §c), with its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ungcuu.systems.models import InformationSystem


@dataclass(frozen=True)
class SeverityAssessment:
    severity: str
    reasons: list[str] = field(default_factory=list)


def assess_severity(
    *, system: InformationSystem | None, harms: list[str], exceeds_capacity: bool
) -> SeverityAssessment:
    """SERIOUS when the system is level 4-5 or critical, at least one listed harm occurred, and the
    incident exceeds the operator's capacity (the second condition is [U] in DOMAIN.md, so it is a flag
    the reporter or coordinator sets, not a guess). Every reason is returned so the screen can show why."""
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
        _("Listed harms: %(harms)s.") % {"harms": ", ".join(harms)}
        if harms
        else _("None of the listed harms was reported.")
    )
    reasons.append(
        _("Exceeds the operator's capacity.") if exceeds_capacity else _("Within the operator's capacity.")
    )
    serious = critical and bool(harms) and exceeds_capacity
    return SeverityAssessment("SERIOUS" if serious else "NORMAL", reasons)
