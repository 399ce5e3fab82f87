"""Who may import scans and act on findings; services, views and templates share these predicates.

Reading goes through `visible_to(user)`. Writing needs a role: a unit's responders import its scans and
triage its systems' findings, accepting a risk is a manager's decision, and the coordinator may do all of
it province-wide. The national coordinator sees everything and changes nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ungcuu.organizations.access import has_role, is_coordinator, org_ids_where, orgs_where
from ungcuu.organizations.models import Membership, Organization
from ungcuu.systems.access import has_role_on_system
from ungcuu.systems.models import InformationSystem

Role = Membership.Role


def can_import(user, organization: Organization) -> bool:
    return is_coordinator(user) or has_role(user, organization, Role.RESPONDER)


def importing_organizations(user) -> QuerySet[Organization]:
    """Organizations the user may upload scans for (the upload form's choices)."""
    return orgs_where(user, Role.RESPONDER)


def can_import_anywhere(user) -> bool:
    return importing_organizations(user).exists()


def can_triage(user, system: InformationSystem) -> bool:
    """Mark false positives, reopen, name the responsible person, attach hosts to this system."""
    return is_coordinator(user) or has_role_on_system(user, system, Role.RESPONDER)


def can_accept_risk(user, system: InformationSystem) -> bool:
    """Accepting a known weakness for a while is the unit management's decision, or the coordinator's."""
    return is_coordinator(user) or has_role_on_system(user, system, Role.MANAGER)


def triageable_systems(user) -> QuerySet[InformationSystem]:
    """Systems the user may attach a scanned host to (the assign form's choices)."""
    systems = InformationSystem.objects.visible_to(user).filter(is_active=True).select_related("operator")
    if is_coordinator(user):
        return systems
    ids = org_ids_where(user, Role.RESPONDER)
    return systems.filter(Q(owner_id__in=ids) | Q(operator_id__in=ids))
