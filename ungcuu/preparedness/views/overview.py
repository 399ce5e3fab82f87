"""The preparedness overview and the readiness picture."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ungcuu.organizations.access import is_coordinator
from ungcuu.organizations.models import visible_organization_ids
from ungcuu.preparedness import access
from ungcuu.preparedness.models import Drill, FollowUpAction, ResponsePlan, TrainingAttendee
from ungcuu.preparedness.readiness import WINDOW_DAYS, readiness_rows, totals


@login_required
def index(request):
    """Plans of the organizations the user sees, drills coming and past, open follow-up actions."""
    user, today = request.user, timezone.localdate()
    plans = ResponsePlan.objects.visible_to(user)
    drills = Drill.objects.visible_to(user).select_related("organization")
    follow_ups = FollowUpAction.objects.visible_to(user).open().select_related("owner", "finding__drill")
    since = today - datetime.timedelta(days=WINDOW_DAYS)
    context = {
        "figures": {
            "plans_current": plans.current(today).count(),
            "plans_out_of_date": plans.out_of_date(today).count(),
            "plans_draft": plans.filter(status=ResponsePlan.Status.DRAFT).count(),
            "drills_year": drills.held().filter(held_on__gte=since).count(),
            "open_follow_ups": follow_ups.count(),
            "overdue_follow_ups": follow_ups.overdue(today).count(),
            "trained": _trained(user, since),
        },
        "plans": plans.select_related("organization").order_by("-updated_at")[:8],
        "upcoming": drills.upcoming(today).order_by("scheduled_on")[:6],
        "recent": drills.held().order_by("-held_on")[:6],
        "follow_ups": follow_ups.order_by("due_on")[:8],
        "can_create": access.can_create_anything(user),
        "is_coordinator": is_coordinator(user),
    }
    return render(request, "preparedness/index.html", context)


def _trained(user, since: datetime.date) -> int:
    attendees = TrainingAttendee.objects.filter(course__ends_on__gte=since)
    ids = visible_organization_ids(user)
    if ids is not None:
        attendees = attendees.filter(organization_id__in=ids)
    return attendees.order_by().values("organization_id", "name_key").distinct().count()


@login_required
def readiness(request):
    """Per organization: trained people, drills, plans in force, systems drilled (coordinator: all)."""
    rows = readiness_rows(request.user)
    context = {"rows": rows, "totals": totals(rows), "is_coordinator": is_coordinator(request.user)}
    return render(request, "preparedness/readiness.html", context)
