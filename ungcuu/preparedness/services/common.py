"""Helpers every preparedness service shares: the audit row, the registry dates, error collection, and
locking and filling the row a service changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model, Q
from django.utils import timezone

from ungcuu.obligations import drills
from ungcuu.organizations.models import Organization
from ungcuu.preparedness.models import PreparednessEvent
from ungcuu.systems.models import InformationSystem

Errors = dict[str, list[str]]

SUBJECT_TYPES = {
    "ResponsePlan": "plan",
    "Scenario": "scenario",
    "Drill": "drill",
    "TrainingCourse": "course",
    "Incident": "incident",
}


def log(
    kind: str, *, actor, subject: Model, organization: Organization | None = None, message: str = "", **data
) -> PreparednessEvent:
    """Write the audit row of one change, in the caller's transaction."""
    return PreparednessEvent.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organization=organization,
        subject_type=SUBJECT_TYPES[type(subject).__name__],
        subject_id=subject.pk,
        message=message,
        data=data,
    )


def today() -> datetime.date:
    return timezone.localdate()


def add_error(errors: Errors, field: str | None, message: str) -> None:
    errors.setdefault(field or NON_FIELD_ERRORS, []).append(str(message))


def clean_model(instance: Model, errors: Errors, exclude: Iterable[str] = ()) -> None:
    """Run the model's own validation and merge its messages into `errors`."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def ids_of(objects: Iterable) -> list[int]:
    return sorted({getattr(o, "pk", o) for o in objects})


# The registry's two preparedness dates are owned by the systems app, which has no service for them:
# `update_system` would re-validate the whole profile and write an "updated" event for a derived date.
# These are written here with a queryset update (agreed with the registry's owners), and only ever
# moved forward, so a late-recorded old drill never hides a newer one.


def note_plan_update(system_ids: Iterable[int], on: datetime.date) -> int:
    """Set `InformationSystem.last_plan_update_on` for the systems an approved or reviewed plan covers."""
    stale = Q(last_plan_update_on__isnull=True) | Q(last_plan_update_on__lt=on)
    return (
        InformationSystem.objects.filter(pk__in=list(system_ids)).filter(stale).update(last_plan_update_on=on)
    )


def note_live_fire_drill(system_ids: Iterable[int], on: datetime.date) -> int:
    """Move the registry's last drill for the systems a held live-fire drill exercised, through the one
    writer (`obligations.drills.note_drill`), also for systems below the obligation's level."""
    return drills.note_drill(system_ids=list(system_ids), on=on)


def locked[M: Model](row: M) -> M:
    """The row as stored, locked until the transaction ends (its own table only), with its organisation."""
    manager = type(row)._default_manager
    return manager.select_for_update(of=("self",)).select_related("organization").get(pk=row.pk)


def fill(row: Model, values: dict, fields: Iterable[str]) -> None:
    """Set `values` on `row`, texts stripped; a name outside `fields` is a caller's mistake, not input."""
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"not {type(row).__name__} fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
