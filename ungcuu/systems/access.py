"""Who may register and change information systems (services, views, forms and templates share these).

Reading is decided by `InformationSystem.objects.visible_to(user)`.
"""

from __future__ import annotations

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
    """Appraisal and approval of the level dossier is the specialised unit's act (S0; NĐ85 Art. 12)."""
    return is_coordinator(user)


def can_register_anywhere(user) -> bool:
    return is_coordinator(user) or bool(org_ids_where(user, Membership.Role.MANAGER))
