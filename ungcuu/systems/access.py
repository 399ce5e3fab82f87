"""Who may register and change information systems (services, views, forms and templates share these).

Reading is decided by `InformationSystem.objects.visible_to(user)`.
"""

from __future__ import annotations

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
    """DOMAIN.md §b, NĐ85 Art. 12: levels 1-2 are approved by the owner's security unit (the specialised
    unit, S0); levels 3-4 by the owner and level 5 by the Prime Minister. Beyond levels 1-2 the specialised
    unit only records the competent body's decision (the approval is stored in that body's name, never its
    own: `approve_level`), and for levels 3-4 the owner's managers may record their own decision."""
    if is_coordinator(user):
        return True
    approver = dossier_authority(system)[1]
    return (
        approver == OWNER
        and system.owner is not None
        and has_role(user, system.owner, Membership.Role.MANAGER)
    )


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
