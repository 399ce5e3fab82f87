"""Read-side helpers for dashboards: every figure goes through `visible_to` and is counted in the database."""

from __future__ import annotations

from django.db.models import Count, Q

from ungcuu.coordination.models import CoordinationRequest
from ungcuu.incidents.models import TERMINAL, Incident, Status

OPEN_STATUSES = [status for status in Status.values if status not in TERMINAL]


def incident_figures(user) -> dict:
    # Open statuses named (not "not terminal"), so the status index finds the open few among the closed many.
    # The province's figures follow QĐ05's scope (`in_qd05_scope`): incidents on BQP/BCA systems go their own
    # channel and are counted apart, so the tiles agree with statistics, form 05 and the reports.
    visible = Incident.objects.visible_to(user)
    open_ = visible.in_qd05_scope().filter(status__in=OPEN_STATUSES)
    counts = open_.order_by().aggregate(
        open_count=Count("pk"),
        open_serious=Count("pk", filter=Q(severity=Incident.Severity.SERIOUS)),
        awaiting_ack_count=Count("pk", filter=Q(status=Status.LOGGED)),
    )
    return {
        **counts,
        "open_normal": counts["open_count"] - counts["open_serious"],
        "awaiting_ack": open_.filter(status=Status.LOGGED).order_by("reported_at")[:10],
        "overdue": open_.overdue().order_by("reported_at")[:10],
        "overdue_count": open_.overdue().count(),
        # DOMAIN.md §d, QĐ05 Art. 11.1a: every visible incident whose operator reported late, open or not.
        "reported_late_count": visible.in_qd05_scope().reported_late().count(),
        "outside_scope_count": visible.outside_qd05_scope().filter(status__in=OPEN_STATUSES).count(),
        "recent": open_.select_related("operator").order_by("-reported_at")[:10],
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
