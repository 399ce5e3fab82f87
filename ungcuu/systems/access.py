"""Who may register and change information systems (services, views, forms and templates share these).

Reading is decided by `InformationSystem.objects.visible_to(user)`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ungcuu.core.bodies import body_name
from ungcuu.organizations.access import has_role, has_role_on_any, is_coordinator, org_ids_where
from ungcuu.organizations.models import Membership, Organization
from ungcuu.systems.models import InformationSystem


def can_register_system(user, organization: Organization) -> bool:
    return is_coordinator(user) or has_role(user, organization, Membership.Role.MANAGER)


def can_edit_system(user, system: InformationSystem) -> bool:
    return is_coordinator(user) or has_role_on_system(user, system, Membership.Role.MANAGER)


def has_role_on_system(user, system: InformationSystem, minimum: str) -> bool:
    """At least `minimum` on the system's owner or its operator."""
    return has_role_on_any(user, (system.owner, system.operator), minimum)


def can_decide_level(user, system: InformationSystem) -> bool:
    """Appraisal (and returning a dossier) is the specialised unit's act (S0; NĐ85 Art. 12); for levels 4-5
    it records the ministry's appraisal, which `dossier_authority` names."""
    return is_coordinator(user)


def can_approve_level(user, system: InformationSystem) -> bool:
    return not approval_refusal(user, system)


def approval_refusal(user, system: InformationSystem) -> str:
    """Why `user` may not approve the system's level, or "" when they may (DOMAIN.md §b, NĐ85 Art. 12).

    Levels 1-2: the owner's security unit approves, which in a province is the specialised unit (S0), so
    its coordinators. Levels 3-4: the owner approves; only the owner's managers record that approval, and
    the specialised unit may not approve in its place. Level 5: the Prime Minister approves; the owner's
    managers record the Government's decision (its number is required), the specialised unit may not.
    A superuser (the platform's administrator) may correct any record."""
    if getattr(user, "is_superuser", False):
        return ""
    approver = dossier_authority(system)[1]
    if approver == SECURITY_UNIT:
        if is_coordinator(user):
            return ""
        return _("Level %(level)s is approved by the owner's security unit (%(body)s), not by the owner.") % {
            "level": system.security_level,
            "body": body_name("SPECIALISED_UNIT"),
        }
    if system.owner is not None and has_role(user, system.owner, Membership.Role.MANAGER):
        return ""
    if approver == OWNER:
        return _(
            "Level %(level)s is approved by the system's owner (%(owner)s) under Decree 85/2016 Art. 12: "
            "only the owner's managers may record the approval, the specialised unit may not approve in "
            "its place."
        ) % {"level": system.security_level, "owner": system.owner or "—"}
    return _(
        "Level %(level)s is approved by the Prime Minister: only the owner's managers (%(owner)s) may "
        "record the Government's decision."
    ) % {"level": system.security_level, "owner": system.owner or "—"}


def require_approval_authority(user, system: InformationSystem) -> None:
    """403 with the reason (the body the law names) when `user` may not approve this level."""
    reason = approval_refusal(user, system)
    if reason:
        raise PermissionDenied(reason)


def appraisal_needs_reference(system: InformationSystem) -> bool:
    """Levels 4-5 are appraised by the ministry (NĐ85 Art. 12): the specialised unit only records that
    appraisal, so it must cite the ministry's document; it never appraises in its own name."""
    return dossier_authority(system)[0] == MINISTRY


OWNER, SECURITY_UNIT, MINISTRY, GOVERNMENT = "IS_OWNER", "OWNER_SEC_UNIT", "MINISTRY", "PRIME_MINISTER"


def dossier_authority(system: InformationSystem) -> tuple[str, str]:
    """(appraiser, approver) role codes for the system's level, from taxonomy.json (DOMAIN.md §b table)."""
    entry = system.level_authority
    return (
        str(entry["appraisal_by"] or SECURITY_UNIT).split()[0],
        str(entry["approval_by"] or OWNER).split()[0],
    )


def authority_name(code: str, system: InformationSystem) -> str:
    """The body holding a dossier role: the owner itself, or the configurable body names (DOMAIN.md §k)."""
    if code == OWNER:
        return system.owner.name if system.owner else ""
    if code == SECURITY_UNIT:
        return body_name("SPECIALISED_UNIT")  # S0: the specialised unit acts as the owner's security unit
    if code == MINISTRY:
        return body_name("MINISTRY")
    return str(_("The Prime Minister"))


def can_register_anywhere(user) -> bool:
    return is_coordinator(user) or bool(org_ids_where(user, Membership.Role.MANAGER))
