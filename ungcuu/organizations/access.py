"""The tenancy boundary: the shared predicates every app's `access.py` is built on (STYLE: small functions
that services, views and templates share).

Reading is decided by `visible_to(user)` on each QuerySet; these answer "may this visible thing be changed".
An app's own rules live in its `access.py` (`incidents/access.py`, `systems/access.py`, …) and are written
with these: `is_coordinator`, `has_role` / `has_role_on_any`, `orgs_where`, `can_see`, and `require`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from ungcuu.organizations.models import ROLE_RANK, Membership, Organization, organization_roles


def is_coordinator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_coordinator or user.is_superuser))


def role_in(user, organization: Organization) -> str | None:
    """The user's effective membership role on an organization (None if not a member)."""
    return organization_roles(user).get(organization.pk)


def has_role(user, organization: Organization, minimum: str) -> bool:
    role = role_in(user, organization)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def has_role_on_any(user, organizations: Iterable[Organization | None], minimum: str) -> bool:
    """At least `minimum` on one of these (e.g. a system's owner and operator; None entries are skipped)."""
    return any(has_role(user, org, minimum) for org in organizations if org is not None)


def org_ids_where(user, minimum: str) -> set[int]:
    """Ids of organizations where the user's membership role is at least `minimum` (coordinators: no rule)."""
    return {oid for oid, role in organization_roles(user).items() if ROLE_RANK[role] >= ROLE_RANK[minimum]}


def orgs_where(user, minimum: str) -> QuerySet[Organization]:
    """Active organizations the user acts for with at least `minimum`: every one for the coordinator."""
    active = Organization.objects.filter(is_active=True)
    return active if is_coordinator(user) else active.filter(pk__in=org_ids_where(user, minimum))


# Set on a row `get_visible_or_404` read through the gate: the pk of the user it was read for.
_PASSED_GATE_FOR = "_passed_gate_for"


def can_see(user, obj: models.Model) -> bool:
    """The object's own tenancy gate (`Model.objects.visible_to(user)`), asked of one row.

    A row this request read through the same gate for the same user (`get_visible_or_404`) is not asked
    again: the incident page asked three times, one gate query each, about the incident it had just read
    (issue 18). Services read their rows afresh (`select_for_update`), so their checks still query."""
    if user is None:
        return False
    if user.pk is not None and getattr(obj, _PASSED_GATE_FOR, None) == user.pk:
        return True
    manager: Any = type(obj)._default_manager
    return bool(manager.visible_to(user).filter(pk=obj.pk).exists())


def can_create_organization(user) -> bool:
    return is_coordinator(user)


def can_edit_organization(user, organization: Organization) -> bool:
    return is_coordinator(user) or has_role(user, organization, Membership.Role.MANAGER)


def can_edit_staff_lines(user, organization: Organization) -> bool:
    """Form 01's staff annex is the unit's own declaration: its focal points (responders) and managers,
    by a membership of that very organization (not one inherited from a parent); the coordinator reads it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = [Membership.Role.RESPONDER, Membership.Role.MANAGER]
    return Membership.objects.filter(user=user, organization=organization, role__in=roles).exists()


def require(allowed: bool) -> None:
    """Visible but not allowed: 403 (hidden objects never get here, they are 404 already)."""
    if not allowed:
        raise PermissionDenied


def get_visible_or_404(queryset, user, **lookup):
    """Fetch through the tenancy gate; anything outside it is indistinguishable from missing."""
    try:
        found = queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    setattr(found, _PASSED_GATE_FOR, user.pk)  # `can_see(user, found)` needs no second query
    return found
