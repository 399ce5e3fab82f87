"""Who may import scans and act on findings; services, views and templates share these predicates.

Reading goes through `visible_to(user)`. Writing needs a role: a unit's responders import its scans and
triage its systems' findings, accepting a risk is a manager's decision, and the coordinator may do all of
it province-wide. The national coordinator sees everything and changes nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ungcuu.organizations import access
from ungcuu.organizations.models import Membership, Organization, organization_roles
from ungcuu.systems.models import InformationSystem

Role = Membership.Role


def can_import(user, organization: Organization) -> bool:
    return access.is_coordinator(user) or access.has_role(user, organization, Role.RESPONDER)


def importing_organizations(user) -> QuerySet[Organization]:
    """Organizations the user may upload scans for (the upload form's choices)."""
    if access.is_coordinator(user):
        return Organization.objects.filter(is_active=True)
    ids = [oid for oid, role in organization_roles(user).items() if role in (Role.RESPONDER, Role.MANAGER)]
    return Organization.objects.filter(is_active=True, id__in=ids)


def can_import_anywhere(user) -> bool:
    return importing_organizations(user).exists()


def _role_on_system(user, system: InformationSystem, minimum: str) -> bool:
    return any(
        access.has_role(user, org, minimum) for org in (system.owner, system.operator) if org is not None
    )


def can_triage(user, system: InformationSystem) -> bool:
    """Mark false positives, reopen, name the responsible person, attach hosts to this system."""
    return access.is_coordinator(user) or _role_on_system(user, system, Role.RESPONDER)


def can_accept_risk(user, system: InformationSystem) -> bool:
    """Accepting a known weakness for a while is the unit management's decision, or the coordinator's."""
    return access.is_coordinator(user) or _role_on_system(user, system, Role.MANAGER)


def triageable_systems(user) -> QuerySet[InformationSystem]:
    """Systems the user may attach a scanned host to (the assign form's choices)."""
    systems = InformationSystem.objects.visible_to(user).filter(is_active=True).select_related("operator")
    if access.is_coordinator(user):
        return systems
    ids = [oid for oid, role in organization_roles(user).items() if role in (Role.RESPONDER, Role.MANAGER)]
    return systems.filter(Q(owner_id__in=ids) | Q(operator_id__in=ids))
