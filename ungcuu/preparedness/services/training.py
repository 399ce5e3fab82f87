"""Training courses: record one that took place with its attendees; it fulfils the training programme duty."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ungcuu.core.text import fold
from ungcuu.obligations.services import record_fulfilment
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Organization
from ungcuu.preparedness import access
from ungcuu.preparedness.models import PreparednessEvent, TrainingAttendee, TrainingCourse
from ungcuu.preparedness.services.common import Errors, add_error, clean_model, log, raise_if, today

Event = PreparednessEvent.Kind
COURSE_FIELDS = ("title", "provider", "topic", "starts_on", "ends_on", "hours", "location")


@transaction.atomic
def record_course(
    *, actor, organization: Organization, attendees: Iterable[dict], **fields
) -> TrainingCourse:
    """Record a course that took place; each attending organization's training duty is fulfilled."""
    require(access.manages(actor, organization))
    course = TrainingCourse(organization=organization, created_by=actor)
    _fill(course, fields)
    rows = _checked(actor, course, list(attendees))
    course.save()
    _add_attendees(course, rows)
    log(
        Event.COURSE_RECORDED,
        actor=actor,
        subject=course,
        organization=organization,
        message=course.title,
        attendees=len(rows),
    )
    _fulfil(actor, course, {organization.pk, *(r.organization_id for r in rows)})
    return course


@transaction.atomic
def update_course(
    *, actor, course: TrainingCourse, attendees: Iterable[dict] | None = None, **fields
) -> TrainingCourse:
    """Correct a course or its attendee list; organizations newly on the list are credited too.

    The list given replaces the attendees the actor can see; those of units hidden from them stay.
    """
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    require(access.can_edit_course(actor, course))
    before = {course.organization_id, *course.attendees.values_list("organization_id", flat=True)}
    _fill(course, fields)
    editable = editable_attendees(actor, course)
    current = [{"organization": a.organization, "full_name": a.full_name, "title": a.title} for a in editable]
    hidden = course.attendees.exclude(pk__in=[a.pk for a in editable]).count()
    rows = _checked(actor, course, current if attendees is None else list(attendees), others=hidden)
    course.save()
    if attendees is not None:
        editable.delete()
        _add_attendees(course, rows)
    log(
        Event.COURSE_UPDATED,
        actor=actor,
        subject=course,
        organization=course.organization,
        message=course.title,
    )
    _fulfil(actor, course, {r.organization_id for r in rows} - before)
    return course


def _fill(course: TrainingCourse, fields: dict) -> None:
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"not course fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(course, name, value.strip() if isinstance(value, str) else value)


def _checked(actor, course: TrainingCourse, attendees: list[dict], others: int = 0) -> list[TrainingAttendee]:
    errors: Errors = {}
    clean_model(course, errors, exclude=["organization", "created_by"])
    if isinstance(course.ends_on, datetime.date) and course.ends_on > today():
        add_error(errors, "ends_on", _("Record a course once it has ended."))
    rows = _attendee_rows(actor, course, attendees, errors)
    if not attendees and not others:
        add_error(errors, "attendees", _("List at least one attendee."))
    raise_if(errors)
    return rows


def _attendee_rows(
    actor, course: TrainingCourse, attendees: list[dict], errors: Errors
) -> list[TrainingAttendee]:
    """A row without an organization is the organizer's; others must be organizations the actor sees."""
    visible = set(Organization.objects.visible_to(actor).filter(is_active=True).values_list("pk", flat=True))
    rows = []
    for number, row in enumerate(attendees, start=1):
        org = row.get("organization") or course.organization
        name = (row.get("full_name") or "").strip()
        if not name:
            add_error(errors, "attendees", _("Attendee %(n)s: give the full name.") % {"n": number})
        elif org.pk not in visible and org.pk != course.organization_id:
            add_error(errors, "attendees", _("Attendee %(n)s: unknown organization.") % {"n": number})
        else:
            title = (row.get("title") or "").strip()[:200]
            rows.append(
                TrainingAttendee(
                    organization=org, full_name=name[:200], title=title, name_key=fold(name)[:200]
                )
            )
    return rows


def editable_attendees(actor, course: TrainingCourse):
    """The attendees `actor` may see and change: the organizer's and those of units the actor sees."""
    visible = Organization.objects.visible_to(actor).values("pk")
    return course.attendees.filter(Q(organization__in=visible) | Q(organization=course.organization_id))


def _add_attendees(course: TrainingCourse, rows: list[TrainingAttendee]) -> None:
    for row in rows:
        row.course = course
    TrainingAttendee.objects.bulk_create(rows)


def _fulfil(actor, course: TrainingCourse, organization_ids: set[int]) -> None:
    """TRAINING_DRILL_PROGRAMME for the organizer and every organization whose staff attended."""
    for org in Organization.objects.filter(pk__in=organization_ids).order_by("pk"):
        record_fulfilment(
            actor=actor,
            code="TRAINING_DRILL_PROGRAMME",
            organization=org,
            system=None,
            on=course.ends_on,
            evidence_kind="training",
            evidence=course,
            note=course.title,
        )
