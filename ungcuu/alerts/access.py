"""Who may send alerts for which unit, and who may promote a group to an incident.

Reading is the house gate (`AlertGroup.objects.visible_to`); a token's scope is the API's one check
(`token_scopes` on the viewsets: sending needs "report"). Sending alerts is reporting: a responder or
manager of the unit (a read-only viewer reports nothing through a machine door), or a coordinator for any
active unit. Promoting a group opens an incident: the coordinator, or the unit's manager.
"""

from __future__ import annotations

from ungcuu.alerts.models import AlertGroup
from ungcuu.organizations.access import has_role, is_coordinator, org_ids_where
from ungcuu.organizations.models import Membership, Organization


def reporting_organization_ids(user) -> set[int] | None:
    """Units the user may send alerts for: None = every active unit (coordinators)."""
    if is_coordinator(user):
        return None
    return org_ids_where(user, Membership.Role.RESPONDER)


def may_send_alerts(user) -> bool:
    ids = reporting_organization_ids(user)
    return ids is None or bool(ids)


def default_organization_id(user) -> int | None:
    """The unit an alert belongs to when it names none: the sender's only reporting unit, if one."""
    ids = reporting_organization_ids(user)
    if ids and len(ids) == 1:
        return next(iter(ids))
    return None


def allowed_organization_ids(user, wanted: set[int]) -> set[int]:
    """Which of `wanted` the user may send alerts for (active units only)."""
    ids = reporting_organization_ids(user)
    candidates = wanted if ids is None else wanted & ids
    return set(Organization.objects.filter(pk__in=candidates, is_active=True).values_list("pk", flat=True))


def can_promote(user, group: AlertGroup) -> bool:
    return is_coordinator(user) or has_role(user, group.organization, Membership.Role.MANAGER)
