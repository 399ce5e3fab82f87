"""Who may send alerts for which unit, and who may promote a group to an incident.

Reading is the house gate (`AlertGroup.objects.visible_to`). Sending alerts is reporting: a responder or
manager of the unit (a read-only viewer reports nothing through a machine door), or a coordinator for any
active unit. Promoting a group opens an incident: the coordinator, or the unit's manager.
"""

from __future__ import annotations

from ungcuu.alerts.models import AlertGroup
from ungcuu.organizations.access import has_role, is_coordinator, org_ids_where
from ungcuu.organizations.models import Membership, Organization

# Token scopes, lowest first. Sending alerts needs "report". Tokens without scopes (made before scopes
# existed) keep the full rights of their user.
SCOPE_ORDER = ("read", "report", "coordinate")
NEEDED_SCOPE = "report"


def token_scopes(token) -> set[str] | None:
    """The scopes a token carries (`scopes`/`scope`: space-separated words, as OAuth and the API token
    model write them, or a list), None when it has none."""
    for attr in ("scopes", "scope"):
        value = getattr(token, attr, None)
        if value:
            return set(value.split()) if isinstance(value, str) else set(value)
    return None


def token_may_report(token) -> bool:
    """A token scoped below "report" (read-only) may not send alerts; a session (no token) may."""
    scopes = token_scopes(token)
    if scopes is None:
        return True
    needed = SCOPE_ORDER.index(NEEDED_SCOPE)
    return any(s in SCOPE_ORDER and SCOPE_ORDER.index(s) >= needed for s in scopes)


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
