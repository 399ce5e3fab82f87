"""Reminders before an occurrence falls due, sent once per lead time (e.g. 30, 7 and 1 days before).

The unique (occurrence, lead_days) Reminder row is the guarantee: it is written in the same transaction as
the notification rows, so a second run, or a second scheduler, finds it and sends nothing. One message per
organization and run lists everything reaching a lead time, rather than one mail per system.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ungcuu.notifications.services import notify
from ungcuu.obligations.models import ObligationDefinition, Occurrence, Reminder
from ungcuu.organizations.models import Membership, Organization

REMINDER_EVENT = "obligation.reminder"
Status = Occurrence.Status
Item = tuple[Occurrence, list[int]]  # an occurrence and the lead times reached, tightest first


def _candidates(now: datetime.date):
    """Due occurrences whose tightest reached lead time has no reminder yet (read as bare tuples: the
    hourly run looks at every occurrence due within the longest lead time and usually reminds none)."""
    leads = {d.pk: sorted(set(d.lead_times or [])) for d in ObligationDefinition.objects.filter(active=True)}
    latest = now + datetime.timedelta(days=max((max(v, default=0) for v in leads.values()), default=0))
    window = Occurrence.objects.filter(
        status=Status.DUE, definition_id__in=leads, due_on__gte=now, due_on__lte=latest
    )
    logged = set(Reminder.objects.filter(occurrence__in=window).values_list("occurrence_id", "lead_days"))
    wanted = []
    for pk, definition_id, due_on in window.values_list("pk", "definition_id", "due_on"):
        days_left = (due_on - now).days
        tightest = next((lead for lead in leads[definition_id] if lead >= days_left), None)
        if tightest is not None and (pk, tightest) not in logged:
            wanted.append(pk)
    return (
        Occurrence.objects.filter(pk__in=wanted)
        .select_related("definition", "organization", "system")
        .prefetch_related("reminders")
        .order_by("due_on", "pk")
    )


def reached_leads(occurrence: Occurrence, now: datetime.date) -> list[int]:
    """Lead times reached but not yet logged, tightest first."""
    logged = {r.lead_days for r in occurrence.reminders.all()}
    days_left = (occurrence.due_on - now).days
    leads = set(occurrence.definition.lead_times or [])
    return sorted(lead for lead in leads if lead >= days_left and lead not in logged)


def send_due_reminders(now: datetime.date) -> int:
    """Remind every organization of what reaches a lead time today; returns how many occurrences.

    When several lead times were reached at once (the occurrence appeared late, or the scheduler was
    off), only the tightest is announced and the others are logged as skipped: one reminder, not three.
    """
    batches: dict[int, list[Item]] = defaultdict(list)
    for occurrence in _candidates(now):
        if leads := reached_leads(occurrence, now):
            batches[occurrence.organization_id].append((occurrence, leads))
    return sum(_send_batch(items, now) for items in batches.values())


def _message_key(items: list[Item]) -> str:
    digest = hashlib.sha256(repr(sorted((o.pk, leads[0]) for o, leads in items)).encode()).hexdigest()
    return f"obligations:{items[0][0].organization_id}:{digest[:24]}"


@transaction.atomic
def _send_batch(items: list[Item], now: datetime.date) -> int:
    logged = _log(items, _message_key(items))
    if logged:
        _notify(logged, now, key=_message_key(logged))
    return len(logged)


def _log(items: list[Item], key: str) -> list[Item]:
    """Write the Reminder rows; an item another scheduler logged first is dropped from this message."""
    rows = [
        Reminder(occurrence=o, lead_days=lead, skipped=i > 0, message_key="" if i else key)
        for o, leads in items
        for i, lead in enumerate(leads)
    ]
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(rows)
        return items
    except IntegrityError:
        pass
    kept = []
    for occurrence, leads in items:
        try:
            with transaction.atomic():
                Reminder.objects.bulk_create([r for r in rows if r.occurrence is occurrence])
            kept.append((occurrence, leads))
        except IntegrityError:
            continue
    if kept and len(kept) < len(items):
        Reminder.objects.filter(message_key=key, occurrence__in=[o for o, _ in kept]).update(
            message_key=_message_key(kept)
        )
    return kept


def _line(occurrence: Occurrence, now: datetime.date) -> str:
    what = occurrence.definition.title
    if occurrence.system_id:
        what = f"{what} — {occurrence.system}"
    days = (occurrence.due_on - now).days
    left = ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
    return f"• {what}: {occurrence.due_on:%d/%m/%Y} ({left})"


def _notify(items: list[Item], now: datetime.date, *, key: str) -> None:
    organization: Organization = items[0][0].organization
    managers = Membership.objects.filter(
        organization=organization, role=Membership.Role.MANAGER
    ).select_related("user")
    first = items[0][0]
    if len(items) == 1:
        subject = _("Reminder: %(what)s is due on %(date)s") % {
            "what": first.definition.title,
            "date": f"{first.due_on:%d/%m/%Y}",
        }
        link = first.get_absolute_url()
    else:
        subject = _("Reminder: %(n)s obligations of %(org)s fall due soon") % {
            "n": len(items),
            "org": organization,
        }
        link = f"{reverse('obligations:index')}?organization={organization.pk}&view=list"
    lines = [_line(o, now) for o, _leads in items]
    body = "\n".join(
        [
            _("%(org)s owes:") % {"org": organization},
            *lines,
            "",
            _("Record each one done, with its evidence, on the obligations calendar."),
        ]
    )
    notify(
        event=REMINDER_EVENT,
        subject=subject,
        body=body,
        users=[m.user for m in managers.order_by("pk")],
        organizations=[organization],
        link=link,
        dedupe_key=key,
    )
