"""Read-side helpers for dashboards: every figure goes through `visible_to` and is counted in the database."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone

from ungcuu.coordination.models import CoordinationRequest
from ungcuu.incidents.models import TERMINAL, Incident, Status, Task, overdue_condition
from ungcuu.organizations.models import Kind as OrgKind
from ungcuu.organizations.models import Organization

OPEN_STATUSES = [status for status in Status.values if status not in TERMINAL]


def incident_figures(user) -> dict:
    # Open statuses named (not "not terminal"), so the status index finds the open few among the closed many.
    # The province's figures follow QĐ05's scope (`in_qd05_scope`): incidents on BQP/BCA systems go their own
    # channel and are counted apart, so the tiles agree with statistics, form 05 and the reports.
    visible = Incident.objects.visible_to(user)
    open_ = visible.in_qd05_scope().filter(status__in=OPEN_STATUSES)
    # One pass over the open incidents for the tiles, the overdue ones included (issue 18: the gate and the
    # scope were evaluated again over the same 40,778 open incidents for a separate overdue count at 1 M).
    counts = open_.order_by().aggregate(
        open_count=Count("pk"),
        open_serious=Count("pk", filter=Q(severity=Incident.Severity.SERIOUS)),
        awaiting_ack_count=Count("pk", filter=Q(status=Status.LOGGED)),
        overdue_count=Count("pk", filter=overdue_condition()),
    )
    return {
        **counts,
        "open_normal": counts["open_count"] - counts["open_serious"],
        "awaiting_ack": open_.filter(status=Status.LOGGED).order_by("reported_at", "pk")[:10],
        "overdue": open_.overdue(first_few=True).order_by("reported_at", "pk")[:10],
        # DOMAIN.md §d, QĐ05 Art. 11.1a: the OPEN incidents whose operator reported late (the tile says so).
        # It counted every incident of the history, open or closed: a figure that only grows, and a count
        # that read every operator-report clock at 1 M incidents (issue 18, fifth session). The history is
        # the statistics page's and the reports' to count, per period; the list's filter still finds all.
        "reported_late_count": open_.reported_late().count(),
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


def team_tasks(user, team: Organization):
    """The team's tasks on incidents `user` may see (the incident's gate decides, as for every task)."""
    return (
        Task.objects.filter(owner_team=team, incident__in=Incident.objects.visible_to(user).values("pk"))
        .select_related("incident")
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


def team_work(user, team: Organization) -> dict:
    """One team's page: its open tasks (late first, then by due date) and what it settled last."""
    tasks = team_tasks(user, team)
    now = timezone.now()
    open_ = list(tasks.filter(done_at__isnull=True))
    return {
        "team": team,
        "open_tasks": open_,
        "overdue_count": sum(1 for t in open_ if t.due_at is not None and t.due_at < now),
        "incident_count": len({t.incident_id for t in open_}),
        "settled": tasks.filter(done_at__isnull=False).order_by("-done_at")[:10],
    }


def my_teams(user):
    """The response teams `user` belongs to: their dashboard leads with the team's open work."""
    return Organization.objects.filter(
        kind=OrgKind.PROV_IR_TEAM, is_active=True, memberships__user=user
    ).distinct()
