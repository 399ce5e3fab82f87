"""Who manages an organisation's webhooks, and what an organisation may read when its endpoint is told.

A webhook goes to a machine, not a person: what it may carry is what the *organisation* may read, asked
of each model's own tenancy gate (`visible_to`) with a reader that stands for the organisation, at the
moment of delivery. The reader is a member (viewer) of the organisation's own scope and nothing more: no
report it submitted, no incident it handles, no superuser flag. The specialised unit's reader reads
province-wide like its coordinators. Confidential incidents never leave by webhook (DOMAIN.md §i: the
platform enforces the flag when sharing), whoever subscribed.
"""

from __future__ import annotations

from django.db import models

from ungcuu.accounts.models import User
from ungcuu.organizations import access
from ungcuu.organizations.models import Kind, Membership, Organization, covered_ids


def can_manage(user, organization: Organization) -> bool:
    """The organisation's manager; a coordinator for the specialised unit's own subscriptions."""
    if access.is_coordinator(user) and organization.kind == Kind.SPECIALISED_UNIT:
        return True
    return access.has_role(user, organization, Membership.Role.MANAGER)


def manageable_organizations(user):
    """Organisations whose subscriptions the user may create (the choices of the form)."""
    ids = access.org_ids_where(user, Membership.Role.MANAGER)
    orgs = Organization.objects.filter(is_active=True)
    if access.is_coordinator(user):
        return orgs.filter(models.Q(pk__in=ids) | models.Q(kind=Kind.SPECIALISED_UNIT))
    return orgs.filter(pk__in=ids)


def organization_reader(organization: Organization) -> User:
    """A user-shaped stand-in for the organisation, fit for any `visible_to(user)` gate.

    Not saved and never saved: primary key 0 names no row, so "reported by" / "handled by" conditions
    match nothing; its roles are set as the membership cache that `organization_roles` reads.
    """
    specialised = organization.kind == Kind.SPECIALISED_UNIT and organization.is_active
    reader = User(
        pk=0,
        username=f"webhook:{organization.code}",
        is_active=organization.is_active,
        platform_role=User.PlatformRole.COORDINATOR if specialised else User.PlatformRole.NONE,
    )
    reader._state.adding = False
    scope = covered_ids(organization) if organization.is_active else []
    reader._ungcuu_org_roles = dict.fromkeys(scope, Membership.Role.VIEWER)  # type: ignore[attr-defined]
    return reader


def readable(organization: Organization, obj: models.Model) -> bool:
    """May this organisation read this object now (its own gate; confidential incidents: never)?"""
    if getattr(obj, "confidential", False) and obj._meta.label == "incidents.Incident":
        return False
    return access.can_see(organization_reader(organization), obj)
