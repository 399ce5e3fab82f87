"""Who may add evidence to an incident and who may take a copy (services, views, API and templates share).

Both ask the incident's own tenancy gate first: a hidden incident has no evidence anyone may touch.
"""

from __future__ import annotations

from ungcuu.incidents.access import can_handle, is_operator_responder, is_reporter
from ungcuu.incidents.models import Incident
from ungcuu.organizations.access import can_see, is_coordinator


def can_upload(user, incident: Incident) -> bool:
    """Coordinators, the operating unit's responders and the incident's reporters add evidence."""
    if not can_see(user, incident):
        return False
    return is_coordinator(user) or is_operator_responder(user, incident) or is_reporter(user, incident)


def can_download(user, incident: Incident) -> bool:
    """A copy is a disclosure: coordinators, the incident's handlers and its reporters only."""
    if not can_see(user, incident):
        return False
    return is_coordinator(user) or can_handle(user, incident) or is_reporter(user, incident)
