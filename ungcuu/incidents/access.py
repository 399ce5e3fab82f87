"""Who may work an incident: small predicates that services, views, API and templates share.

Reading is decided by `Incident.objects.visible_to(user)`; these answer "may this visible incident be worked".
"""

from __future__ import annotations

from ungcuu.incidents.models import Incident, Status, Task
from ungcuu.organizations.access import has_role, is_coordinator
from ungcuu.organizations.models import Membership


def can_handle(actor, incident: Incident) -> bool:
    """The coordinator handles every incident; the operating unit's responders run their own procedure."""
    if is_coordinator(actor):
        return True
    if incident.status in {Status.LOGGED, Status.ACKNOWLEDGED, Status.VERIFYING}:
        return False  # intake is the specialised unit's act (QĐ05 Art. 12.1)
    return incident.operator is not None and has_role(actor, incident.operator, Membership.Role.RESPONDER)


def can_add_entry(actor, incident: Incident) -> bool:
    """Handlers write the procedure's entries; the unit that reported keeps reporting progress."""
    return can_handle(actor, incident) or is_reporter(actor, incident)


def can_complete_task(actor, task: Task) -> bool:
    """The incident's handlers, the person the task is assigned to, or a responder of its team."""
    if can_handle(actor, task.incident) or task.owner_id == actor.pk:
        return True
    return task.owner_team is not None and has_role(actor, task.owner_team, Membership.Role.RESPONDER)


def is_coordinator_of(actor, incident: Incident) -> bool:
    """Acts reserved to the specialised unit (acknowledge, classify, merge, take handling)."""
    return is_coordinator(actor)


def is_reporter(user, incident: Incident) -> bool:
    """Someone who submitted one of the incident's reports (form 02/03 or the public form)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return incident.reports.filter(submitted_by=user).exists()


def is_operator_responder(user, incident: Incident) -> bool:
    """A responder (or manager) of the unit operating the affected system."""
    return incident.operator is not None and has_role(user, incident.operator, Membership.Role.RESPONDER)
