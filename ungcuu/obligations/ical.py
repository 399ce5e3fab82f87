"""The per-user iCalendar feed: one all-day VEVENT per occurrence, with UIDs stable across runs."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ungcuu.obligations.models import CalendarToken, Occurrence

FEED_PAST_DAYS = 400
FEED_AHEAD_DAYS = 400
UID_DOMAIN = "ungcuu.obligations"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_token(*, actor) -> str:
    """A new secret for the actor's own feed, returned once (only its digest is kept); every calendar
    subscribed to the old URL stops updating."""
    secret = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(user=actor, defaults={"digest": digest(secret)})
    return secret


@transaction.atomic
def revoke_token(*, actor) -> bool:
    """Delete the actor's feed secret: the old URL answers 404. False when there was none."""
    deleted, _rows = CalendarToken.objects.filter(user=actor).delete()
    return bool(deleted)


def owner_of(secret: str):
    """The active user whose feed this secret opens, or None."""
    found = CalendarToken.objects.select_related("user").filter(digest=digest(secret)).first()
    return found.user if found is not None and found.user.is_active else None


def feed_occurrences(user, *, today: datetime.date):
    since = today - datetime.timedelta(days=FEED_PAST_DAYS)
    until = today + datetime.timedelta(days=FEED_AHEAD_DAYS)
    return (
        Occurrence.objects.visible_to(user)
        .filter(due_on__gte=since, due_on__lte=until)
        .select_related("definition", "organization", "system")
        .order_by("due_on", "pk")
    )


def _summary(occurrence: Occurrence) -> str:
    where = occurrence.system or occurrence.organization
    prefix = "" if occurrence.is_open else f"[{occurrence.get_status_display()}] "
    return f"{prefix}{occurrence.definition.title} — {where}"


def _event(occurrence: Occurrence, *, url: str) -> Event:
    event = Event()
    event.add("uid", f"occurrence-{occurrence.pk}@{UID_DOMAIN}")
    # The last change, so a calendar sees an update only when the occurrence changed.
    event.add("dtstamp", occurrence.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", occurrence.due_on)
    event.add("dtend", occurrence.due_on + datetime.timedelta(days=1))
    event.add("summary", _summary(occurrence))
    lines = [
        _("Organization: %(org)s") % {"org": occurrence.organization},
        _("Status: %(status)s") % {"status": occurrence.get_status_display()},
        _("Period from %(date)s") % {"date": occurrence.period_start.strftime("%d/%m/%Y")},
        url,
    ]
    if occurrence.definition.basis_vi:  # the legal basis as an official cites it, never a code
        lines.insert(0, _("Legal basis: %(basis)s") % {"basis": occurrence.definition.basis_vi})
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it does not make anyone busy
    return event


def build_feed(user, *, absolute_url) -> bytes:
    """The whole feed; `absolute_url(path)` turns a path into a link calendar programs can open."""
    calendar = Calendar()
    calendar.add("prodid", "-//Ung Cuu//Obligations//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Obligations — %(user)s") % {"user": user})
    for occurrence in feed_occurrences(user, today=timezone.localdate()):
        calendar.add_component(_event(occurrence, url=absolute_url(occurrence.get_absolute_url())))
    return calendar.to_ical()
