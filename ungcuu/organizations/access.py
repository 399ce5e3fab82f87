"""Write-permission predicates (STYLE: small functions that services, views and templates share).

Reading is decided by `visible_to(user)` on each QuerySet; these answer "may this visible thing be changed".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ungcuu.organizations.models import ROLE_RANK, Membership, organization_roles

if TYPE_CHECKING:
    from ungcuu.organizations.models import Organization
    from ungcuu.systems.models import InformationSystem


def is_coordinator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_coordinator or user.is_superuser))


def role_in(user, organization: Organization) -> str | None:
    """The user's effective membership role on an organization (None if not a member)."""
    return organization_roles(user).get(organization.pk)


def has_role(user, organization: Organization, minimum: str) -> bool:
    role = role_in(user, organization)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def can_create_organization(user) -> bool:
    return is_coordinator(user)


def can_edit_organization(user, organization: Organization) -> bool:
    return is_coordinator(user) or has_role(user, organization, Membership.Role.MANAGER)


def can_register_system(user, organization: Organization) -> bool:
    return is_coordinator(user) or has_role(user, organization, Membership.Role.MANAGER)


def can_edit_system(user, system: InformationSystem) -> bool:
    return is_coordinator(user) or any(
        has_role(user, org, Membership.Role.MANAGER)
        for org in (system.owner, system.operator)
        if org is not None
    )


def can_decide_level(user, system: InformationSystem) -> bool:
    """Appraisal and approval of the level dossier is the specialised unit's act (S0; NĐ85 Art. 12)."""
    return is_coordinator(user)


def can_register_anywhere(user) -> bool:
    return is_coordinator(user) or any(
        r == Membership.Role.MANAGER for r in organization_roles(user).values()
    )


def require(allowed: bool) -> None:
    """Visible but not allowed: 403 (hidden objects never get here, they are 404 already)."""
    if not allowed:
        raise PermissionDenied


def get_visible_or_404(queryset, user, **lookup):
    """Fetch through the tenancy gate; anything outside it is indistinguishable from missing."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
