"""Who may record, excuse and define obligations (services, views, API and templates share these).

Reading is decided by `Occurrence.objects.visible_to(user)`.
"""

from __future__ import annotations

from ungcuu.obligations.models import Occurrence
from ungcuu.organizations.access import has_role_on_any, is_coordinator
from ungcuu.organizations.models import Membership


def can_fulfil(user, occurrence: Occurrence) -> bool:
    """Managers of the owing unit (or of the system's owner/operator) and the coordinator."""
    if is_coordinator(user):
        return True
    orgs = [occurrence.organization]
    if (system := occurrence.system) is not None:
        orgs += [system.owner, system.operator]
    return has_role_on_any(user, orgs, Membership.Role.MANAGER)


def can_waive(user, occurrence: Occurrence) -> bool:
    """Only the specialised unit excuses a unit from a duty."""
    return is_coordinator(user)


def can_edit_definitions(user) -> bool:
    return is_coordinator(user)
