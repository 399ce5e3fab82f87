"""Closing checks the work (issue 15): what is still open when an incident closes, and the decision on it.

It sits above `coordination` (it closes the incident's live requests with it), which `incidents.services`
cannot import: `coordination.models` imports `incidents.models`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.coordination import services as coordination
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.core.errors import Conflict
from ungcuu.incidents import services
from ungcuu.incidents.access import can_handle
from ungcuu.incidents.models import LIVE_REQUEST_STATES, Incident, Status, Task
from ungcuu.incidents.timeline import record
from ungcuu.organizations import access


class Decision(models.TextChoices):
    COMPLETE = "complete", gettext_lazy("Mark the open tasks done")
    CANCEL = "cancel", gettext_lazy("Cancel the open tasks, with a reason")
    ANYWAY = "anyway", gettext_lazy("Close anyway and leave them as they are, with a reason")


@dataclass
class OpenWork:
    """What an incident still has open; `requests` are those the user may see, `hidden` the others."""

    tasks: list[Task] = field(default_factory=list)
    requests: list[CoordinationRequest] = field(default_factory=list)
    hidden: int = 0

    def __bool__(self) -> bool:
        return bool(self.tasks or self.requests or self.hidden)


def open_work(user, incident: Incident) -> OpenWork:
    """Open tasks and live coordination requests, the requests read through their tenancy gate."""
    live = CoordinationRequest.objects.filter(incident=incident, status__in=LIVE_REQUEST_STATES)
    seen = list(live.visible_to(user).select_related("recipient"))
    return OpenWork(
        tasks=list(incident.tasks.filter(done_at__isnull=True).select_related("owner")),
        requests=seen,
        hidden=live.count() - len(seen),
    )


@transaction.atomic
def close_incident(
    *, actor, incident: Incident, decision: str = "", reason: str = "", note: str = ""
) -> Incident:
    """Close an incident after settling its open work as the handler decided.

    Nothing open: it simply closes. Otherwise `decision` says what happens to the open tasks (done,
    cancelled with `reason`, or left open with `reason` written on the timeline); the live coordination
    requests close with the incident in every case (answered ones completed, the rest cancelled).
    """
    access.require(can_handle(actor, incident))
    incident = services._lock(incident)  # its state as stored, not as the caller last read it
    incident.check_transition(Status.CLOSED)
    tasks = list(incident.tasks.filter(done_at__isnull=True))
    requests = list(CoordinationRequest.objects.filter(incident=incident, status__in=LIVE_REQUEST_STATES))
    if tasks or requests:
        _check_decision(decision, reason)
    for task in tasks:
        if decision == Decision.COMPLETE:
            services.complete_task(actor=actor, task=task)
        elif decision == Decision.CANCEL:
            services.cancel_task(actor=actor, task=task, reason=reason)
    if decision == Decision.ANYWAY and (tasks or requests):
        message = _("Closed with open work: %(reason)s") % {"reason": reason.strip()}
        record(incident, services.Kind.NOTE, actor=actor, message=message, open_tasks=len(tasks))
    why = reason.strip() or _("The incident %(ref)s is closed.") % {"ref": incident.reference}
    for request in requests:
        coordination.close_with_incident(actor=actor, request=request, reason=why)
    return services.move(actor=actor, incident=incident, to=Status.CLOSED, note=note)


def _check_decision(decision: str, reason: str) -> None:
    if decision not in Decision.values:
        raise Conflict(_("This incident still has open work: choose what happens to it before closing."))
    if decision != Decision.COMPLETE and not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason; it is written on the timeline.")})
