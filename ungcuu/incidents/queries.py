"""Read-side helpers for dashboards: every figure goes through `visible_to` and is counted in the database."""

from __future__ import annotations

from django.db.models import Count, Q

from ungcuu.coordination.models import CoordinationRequest
from ungcuu.incidents.models import TERMINAL, Incident, Status


def incident_figures(user) -> dict:
    visible = Incident.objects.visible_to(user)
    open_ = visible.exclude(status__in=TERMINAL)
    by_severity = dict(
        Incident.objects.filter(pk__in=open_.values("pk"))
        .values_list("severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "open_count": open_.count(),
        "open_serious": by_severity.get(Incident.Severity.SERIOUS, 0),
        "open_normal": by_severity.get(Incident.Severity.NORMAL, 0),
        "awaiting_ack": open_.filter(status=Status.LOGGED).order_by("reported_at")[:10],
        "awaiting_ack_count": open_.filter(status=Status.LOGGED).count(),
        "overdue": open_.overdue().order_by("reported_at")[:10],
        "overdue_count": open_.overdue().count(),
        "reported_late_count": visible.reported_late().count(),  # DOMAIN.md §d, QĐ05 Art. 11.1a
        "recent": open_.select_related("operator").order_by("-reported_at")[:10],
        "closed_count": visible.filter(status=Status.CLOSED).count(),
        "serious_open": open_.filter(Q(severity=Incident.Severity.SERIOUS)).order_by("-reported_at")[:5],
        **coordination_figures(user),
    }


def coordination_figures(user) -> dict:
    """Requests waiting for an answer: for the coordinator all of them, for a unit those addressed to it."""
    waiting = CoordinationRequest.objects.visible_to(user).awaiting_answer()
    return {
        "requests_waiting": waiting.select_related("recipient", "incident").order_by("deadline")[:8],
        "requests_waiting_count": waiting.count(),
        "requests_overdue_count": waiting.overdue().count(),
    }
