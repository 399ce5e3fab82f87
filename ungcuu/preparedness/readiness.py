"""The readiness picture: per organization, trained people, drills, plans in force and systems drilled.

A builder in the reports style: it returns plain rows of figures for the organizations a user sees, so
the page and any export share the numbers and the figures test without rendering.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from ungcuu.organizations.models import Organization
from ungcuu.preparedness.models import Drill, FollowUpAction, ResponsePlan, TrainingAttendee
from ungcuu.systems.models import InformationSystem, drill_current_since

WINDOW_DAYS = 365
LIVE_FIRE_LEVEL = 3  # CT18: a live-fire drill every year for systems at level 3 and above


@dataclass
class ReadinessRow:
    """One organization's figures over the last twelve months."""

    organization: Organization
    trained_people: int = 0
    drills: int = 0
    live_fire_drills: int = 0
    plans_current: int = 0
    plans_out_of_date: int = 0
    plans_draft: int = 0
    systems: int = 0
    systems_with_plan: int = 0
    high_level_systems: int = 0
    high_level_drilled: int = 0
    open_follow_ups: int = 0
    overdue_follow_ups: int = 0
    gaps: list[str] = field(default_factory=list)

    @property
    def is_ready(self) -> bool:
        return not self.gaps


def readiness_rows(user, today: datetime.date | None = None) -> list[ReadinessRow]:
    """Rows for every visible organization that runs systems or took part in preparedness; gaps first."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=WINDOW_DAYS)
    orgs = Organization.objects.visible_to(user).filter(is_active=True)
    rows = {org.pk: ReadinessRow(org) for org in orgs}
    _count_training(rows, since)
    _count_drills(rows, since)
    _count_plans(rows, today)
    _count_systems(rows, since, today)
    _count_follow_ups(rows, today)
    kept = [row for row in rows.values() if _has_activity(row)]
    for row in kept:
        row.gaps = _gaps(row)
    return sorted(kept, key=lambda r: (-len(r.gaps), r.organization.name))


def _count_training(rows: dict[int, ReadinessRow], since: datetime.date) -> None:
    people = (
        TrainingAttendee.objects.filter(organization_id__in=rows, course__ends_on__gte=since)
        .order_by()  # the model's ordering would make "distinct" count rows, not people
        .values_list("organization_id", "name_key")
        .distinct()
    )
    for org_id, _name in people:
        rows[org_id].trained_people += 1


def _count_drills(rows: dict[int, ReadinessRow], since: datetime.date) -> None:
    held = Drill.objects.held().filter(held_on__gte=since)
    taking_part: dict[int, set[int]] = defaultdict(set)
    for drill_id, org_id in held.values_list("pk", "organization_id"):
        taking_part[org_id].add(drill_id)
    for drill_id, org_id in Drill.participants.through.objects.filter(drill__in=held).values_list(
        "drill_id", "organization_id"
    ):
        taking_part[org_id].add(drill_id)
    live_fire = set(held.filter(kind=Drill.Kind.LIVE_FIRE).values_list("pk", flat=True))
    for org_id, drills in taking_part.items():
        if org_id in rows:
            rows[org_id].drills = len(drills)
            rows[org_id].live_fire_drills = len(drills & live_fire)


def _count_plans(rows: dict[int, ReadinessRow], today: datetime.date) -> None:
    plans = ResponsePlan.objects.filter(organization_id__in=rows).exclude(
        status=ResponsePlan.Status.SUPERSEDED
    )
    for org_id, status, review_due_on in plans.values_list("organization_id", "status", "review_due_on"):
        row = rows[org_id]
        if status == ResponsePlan.Status.DRAFT:
            row.plans_draft += 1
        elif review_due_on and review_due_on >= today:
            row.plans_current += 1
        else:
            row.plans_out_of_date += 1


def _count_systems(rows: dict[int, ReadinessRow], since: datetime.date, today: datetime.date) -> None:
    """Systems count for the unit that operates them; "drilled" reads the registry's live-fire date."""
    current = ResponsePlan.objects.current(today)
    covered = set(current.exclude(systems__isnull=True).values_list("systems", flat=True))
    # A plan listing no system covers all its organization's systems (`ResponsePlan.covered_systems`).
    whole = set(current.filter(systems__isnull=True).values_list("organization_id", flat=True))
    systems = InformationSystem.objects.filter(operator_id__in=rows, is_active=True)
    for pk, org_id, level, last_drill in systems.values_list(
        "pk", "operator_id", "security_level", "last_drill_on"
    ):
        row = rows[org_id]
        row.systems += 1
        row.systems_with_plan += pk in covered or org_id in whole
        if level >= LIVE_FIRE_LEVEL:
            row.high_level_systems += 1
            row.high_level_drilled += bool(last_drill and last_drill >= drill_current_since(today))


def _count_follow_ups(rows: dict[int, ReadinessRow], today: datetime.date) -> None:
    for org_id, due_on in (
        FollowUpAction.objects.open().filter(owner_id__in=rows).values_list("owner_id", "due_on")
    ):
        rows[org_id].open_follow_ups += 1
        rows[org_id].overdue_follow_ups += due_on < today


def _has_activity(row: ReadinessRow) -> bool:
    figures = (
        row.trained_people,
        row.drills,
        row.plans_current,
        row.plans_out_of_date,
        row.plans_draft,
        row.systems,
        row.open_follow_ups,
    )
    return any(figures)


GAP_PLAN, GAP_DRILL, GAP_TRAINING, GAP_FOLLOW_UP = "plan", "live_fire", "training", "follow_up"


def _gaps(row: ReadinessRow) -> list[str]:
    """What keeps this organization from being ready; the page shows them as badges."""
    gaps = []
    if row.systems and row.systems_with_plan < row.systems:
        gaps.append(GAP_PLAN)
    if row.high_level_drilled < row.high_level_systems:
        gaps.append(GAP_DRILL)
    if row.systems and not row.trained_people:
        gaps.append(GAP_TRAINING)
    if row.overdue_follow_ups:
        gaps.append(GAP_FOLLOW_UP)
    return gaps


def totals(rows: list[ReadinessRow]) -> dict[str, int]:
    names = (
        "trained_people",
        "plans_current",
        "plans_out_of_date",
        "systems",
        "systems_with_plan",
        "high_level_systems",
        "high_level_drilled",
        "open_follow_ups",
        "overdue_follow_ups",
    )
    return {name: sum(getattr(r, name) for r in rows) for name in names} | {
        "ready": sum(r.is_ready for r in rows),
        "organizations": len(rows),
    }
