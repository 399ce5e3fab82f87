"""After a drill: its follow-up actions fall due, and the owners are told before and after (issue 15).

`check_follow_ups` is the scheduler's hourly job (and `manage.py check_follow_ups` for cron). It tells the
owner organization once when an open action comes within DUE_SOON_DAYS of its date, and once when the
date has passed, copying the drill's organizer then (it answers for the drill's lessons). Each message has
a dedupe key naming the action and its due date, so a second run, or a second scheduler, sends nothing,
and a moved date is announced again. The dashboard reads the same `overdue()` queryset.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ungcuu.notifications.services import notify
from ungcuu.organizations.models import visible_organization_ids
from ungcuu.preparedness.models import FollowUpAction

# An owner needs a few working days' notice to finish an action it has put off.
DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class FollowUpCheck:
    due_soon: int
    overdue: int

    def __str__(self) -> str:
        return f"follow-ups: {self.due_soon} due-soon notices, {self.overdue} overdue notices"


def check_follow_ups(today: datetime.date | None = None) -> FollowUpCheck:
    """Queue the due-soon and overdue notices not sent yet; returns how many were queued."""
    today = today or timezone.localdate()
    actions = FollowUpAction.objects.open().select_related("finding__drill__organization", "owner")
    soon = actions.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
    late = actions.filter(due_on__lt=today)
    with translation.override(settings.LANGUAGE_CODE):  # read by others: the platform's language
        sent_soon = sum(_tell(action, today, overdue=False) for action in soon)
        sent_late = sum(_tell(action, today, overdue=True) for action in late)
    return FollowUpCheck(due_soon=sent_soon, overdue=sent_late)


def _tell(action: FollowUpAction, today: datetime.date, *, overdue: bool) -> bool:
    drill = action.finding.drill
    values = {"drill": drill.title, "due": action.due_on.strftime("%d/%m/%Y"), "action": action.description}
    if overdue:
        subject = _("Overdue follow-up action of the drill “%(drill)s”") % values
        body = _("%(action)s\n\nIt was due %(due)s and is still open.") % values
        organizations = list({action.owner, drill.organization})
    else:
        subject = _("Follow-up action of the drill “%(drill)s” due %(due)s") % values
        body = _("%(action)s\n\nDue %(due)s.") % values
        organizations = [action.owner]
    stage = "overdue" if overdue else "due"
    rows = notify(
        event=f"drill_follow_up_{stage}",
        subject=subject,
        body=body,
        organizations=organizations,
        link=reverse("preparedness:followup_list") + ("?show=overdue" if overdue else ""),
        dedupe_key=f"drill-follow-up-{stage}:{action.pk}:{action.due_on.isoformat()}",
    )
    return bool(rows)


def overdue_for(user, limit: int = 8) -> dict:
    """The dashboard's view of the same rule, oldest due first: every overdue action for the province's
    view, a unit's own (and its children's) for a unit; another unit's late action on a shared drill is
    on the drill's page, not on this unit's list of things to do."""
    late = FollowUpAction.objects.visible_to(user).overdue()
    ids = visible_organization_ids(user)
    if ids is not None:
        late = late.filter(owner_id__in=ids)
    return {
        "count": late.count(),
        "items": late.select_related("finding__drill", "owner").order_by("due_on", "id")[:limit],
    }
