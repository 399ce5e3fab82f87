"""Changes to organizations and their focal points that carry rules or history."""

from __future__ import annotations

from django.db import transaction

from ungcuu.organizations import access
from ungcuu.organizations.models import FocalPoint, Organization, StaffChange


@transaction.atomic
def add_focal_point(*, actor, organization: Organization, **fields) -> FocalPoint:
    """Add a contact and record the staff change (units must notify staff changes, DOMAIN.md §g)."""
    access.require(access.can_edit_organization(actor, organization))
    focal = FocalPoint(organization=organization, **fields)
    focal.full_clean()
    focal.save()
    StaffChange.objects.create(
        organization=organization, focal_point=focal, change=StaffChange.Change.ADDED,
        after=focal.snapshot(), actor=actor,
    )
    return focal


@transaction.atomic
def update_focal_point(*, actor, focal_point: FocalPoint, **fields) -> FocalPoint:
    """Change a contact's details, keeping before/after in the staff-change history."""
    access.require(access.can_edit_organization(actor, focal_point.organization))
    before = FocalPoint.objects.select_for_update().get(pk=focal_point.pk).snapshot()
    for name, value in fields.items():
        setattr(focal_point, name, value)
    focal_point.full_clean()
    focal_point.save()
    after = focal_point.snapshot()
    if after != before:
        change = StaffChange.Change.DEACTIVATED if before["is_active"] and not after["is_active"] else (
            StaffChange.Change.UPDATED
        )
        StaffChange.objects.create(
            organization=focal_point.organization, focal_point=focal_point, change=change,
            before=before, after=after, actor=actor,
        )
    return focal_point


def deactivate_focal_point(*, actor, focal_point: FocalPoint) -> FocalPoint:
    """People leave; their record stays, marked inactive, so past incidents still name them."""
    return update_focal_point(actor=actor, focal_point=focal_point, is_active=False)
