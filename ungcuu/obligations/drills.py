"""Live-fire drills "at least once a year" (DOMAIN.md §g, CT18): one source of truth for a system's last
drill, and the obligation's occurrences that follow `settings.DRILL_YEAR_RULE`.

The registry's `InformationSystem.last_drill_on` is that source. It is written here only (`note_drill`),
by every way a drill becomes known: a held live-fire drill, the obligation's evidence recorded by hand, or
the date declared when the system is registered. The occurrences of LIVE_FIRE_DRILL are calendar years;
under the "rolling" rule the open one falls due 12 months after the last drill (never after its year's
end), so the overdue flag, the reminders and the readiness figures say the same thing
(`systems.models.drill_current_since`).
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ungcuu.core.periods import DAY, Period
from ungcuu.obligations.models import Occurrence
from ungcuu.systems.models import InformationSystem

CODE = "LIVE_FIRE_DRILL"


def drill_due(period: Period, last_drill: datetime.date | None) -> datetime.date:
    """When the occurrence for `period` falls due: its year's end ("calendar"), or 12 months after the
    last drill when that comes first ("rolling"), but not before the period starts."""
    if settings.DRILL_YEAR_RULE != "rolling" or last_drill is None:
        return period.end
    rolling = last_drill + relativedelta(months=12) - DAY
    return max(period.start, min(period.end, rolling))


def note_drill(*, system_ids: list[int], on: datetime.date) -> int:
    """A drill of these systems was held on `on`: move the registry's date forward (never back) and the
    open occurrences' due dates with it. Returns how many systems moved."""
    stale = Q(last_drill_on__isnull=True) | Q(last_drill_on__lt=on)
    moved = InformationSystem.objects.filter(pk__in=system_ids).filter(stale).update(last_drill_on=on)
    reschedule(system_ids)
    return moved


def reschedule(system_ids: list[int]) -> int:
    """Set the open occurrences' due dates from the registry's last drill (a no-op under "calendar")."""
    last = dict(InformationSystem.objects.filter(pk__in=system_ids).values_list("pk", "last_drill_on"))
    changed = 0
    today = timezone.localdate()
    open_ = Occurrence.objects.filter(
        definition__code=CODE,
        system_id__in=system_ids,
        status__in=[Occurrence.Status.DUE, Occurrence.Status.OVERDUE],
    )
    for occurrence in open_:
        period = Period(occurrence.period_start, _period_end(occurrence.period_start))
        due = drill_due(period, last.get(occurrence.system_id or 0))
        if due != occurrence.due_on:
            occurrence.due_on = due
            occurrence.status = Occurrence.Status.OVERDUE if due < today else Occurrence.Status.DUE
            occurrence.save(update_fields=["due_on", "status", "updated_at"])
            changed += 1
    return changed


def _period_end(start: datetime.date) -> datetime.date:
    return start + relativedelta(years=1) - DAY
