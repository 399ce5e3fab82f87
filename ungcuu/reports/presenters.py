"""What report pages show besides the document itself (kept out of views so they stay thin)."""

from __future__ import annotations

from ungcuu.core.periods import Period
from ungcuu.incidents.models import Incident
from ungcuu.reports import figures
from ungcuu.reports.access import Scope, can_record_damage
from ungcuu.reports.models import IncidentDamage


def damage_rows(user, scope: Scope, period: Period, limit: int = 50) -> list[dict]:
    """The period's cyberattacks this user sees, with their damage figures and whether they may edit them.

    A page for the handlers, not a document: it goes through the incident gate, so a confidential
    incident appears only to the people who see it anyway.
    """
    attacks = figures.in_period(scope.incidents(), period).filter(category__startswith="ATTACK.")
    visible = attacks.filter(pk__in=Incident.objects.visible_to(user).values("pk"))
    incidents = list(visible.select_related("operator").order_by("reported_at", "pk")[:limit])
    damages = {d.incident_id: d for d in IncidentDamage.objects.filter(incident__in=incidents)}
    return [
        {"incident": i, "damage": damages.get(i.pk), "editable": can_record_damage(user, i)}
        for i in incidents
    ]
