"""Who may do what with advisories and indicators: small predicates shared by services, views, API, templates.

Reading is decided by each model's `visible_to(user)`; these answer "may this visible thing be changed".
"""

from __future__ import annotations

from ungcuu.advisories.models import AdvisorySystemState, AdvisoryTarget
from ungcuu.incidents.access import is_operator_responder, is_reporter
from ungcuu.incidents.models import Incident, IncidentReport
from ungcuu.organizations.access import can_see, has_role, is_coordinator, org_ids_where
from ungcuu.organizations.models import Membership


def can_write(user) -> bool:
    """Writing, targeting, publishing and closing advisories is the specialised unit's act."""
    return is_coordinator(user)


def can_respond(user, target: AdvisoryTarget) -> bool:
    """Acknowledging speaks for the target organization: its responders and managers."""
    return has_role(user, target.organization, Membership.Role.RESPONDER)


def can_report_state(user, state: AdvisorySystemState) -> bool:
    """The unit reports its own systems; the coordinator may record what a unit said or a rescan shows."""
    return can_respond(user, state.target) or is_coordinator(user)


def can_read_dispatch(user) -> bool:
    """The dispatch's recipient list names every unit running the product: the issuer's and the national's."""
    return is_coordinator(user) or bool(getattr(user, "is_national", False))


def can_add_to_incident(user, incident: Incident) -> bool:
    """Those who work the incident: coordinators, its handlers, the operator's responders, its reporters."""
    if not can_see(user, incident):
        return False
    if is_coordinator(user) or incident.handlers.filter(pk=user.pk).exists():
        return True
    return is_operator_responder(user, incident) or is_reporter(user, incident)


def may_add_somewhere(user) -> bool:
    """A cheap check before a request body is read: could this user add an indicator to anything?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_coordinator(user):
        return True
    if org_ids_where(user, Membership.Role.RESPONDER):
        return True
    return (
        IncidentReport.objects.filter(submitted_by=user).exists()
        or Incident.objects.filter(handlers=user).exists()
    )
