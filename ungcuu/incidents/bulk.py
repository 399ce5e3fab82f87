"""Bulk actions on the incident list (issue 15): acknowledge or assign several incidents at once.

Each row goes through the same service as its own button, in its own savepoint: one refused row (not
allowed for this user, or in a state that cannot move) does not undo the others, and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.core.errors import Conflict
from ungcuu.incidents import services
from ungcuu.incidents.models import Incident

MAX_ROWS = 100


class Action(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", gettext_lazy("Acknowledge receipt")
    ASSIGN = "assign", gettext_lazy("Assign the handling")


@dataclass
class Outcome:
    incident: Incident
    done: bool
    reason: str = ""


def run_bulk(*, actor, incidents: list[Incident], action: str, handler=None) -> list[Outcome]:
    """Apply `action` to each incident (already read through the tenancy gate by the caller)."""
    if action not in Action.values:
        raise ValidationError({"action": _("Choose an action.")})
    if not incidents or len(incidents) > MAX_ROWS:
        raise ValidationError({"ids": _("Choose between 1 and %(n)s incidents.") % {"n": MAX_ROWS}})
    return [_one(actor, incident, action, handler) for incident in incidents]


def _one(actor, incident: Incident, action: str, handler) -> Outcome:
    try:
        with transaction.atomic():
            if action == Action.ACKNOWLEDGE:
                services.acknowledge(actor=actor, incident=incident)
            else:
                services.assign_handler(actor=actor, incident=incident, handler=handler)
    except PermissionDenied:
        return Outcome(incident, False, _("You may not do this on this incident."))
    except (Conflict, ValidationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return Outcome(incident, False, text)
    return Outcome(incident, True)
