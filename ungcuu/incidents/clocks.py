"""Tracked deadlines per incident: started at intake from the editable policies, met by the services."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from ungcuu.core import config_cache
from ungcuu.incidents.models import Deadline, DeadlinePolicy, Incident

Code = DeadlinePolicy.Code

# Where each clock starts; all others start when the report reaches the platform.
STARTS_AT_DETECTION = {Code.OPERATOR_REPORT}
# Clocks that start on an event of the procedure (`restart`), not at intake.
ON_EVENT = {Code.DIRECTION_ANSWER}


def start_clocks(
    incident: Incident, *, received_at: datetime.datetime, by_operator: bool, third_party: bool = False
) -> list[Deadline]:
    """Create one clock per active policy. The operator's reporting duty is met by this report only when
    the operator itself sent it (a citizen's notice does not discharge the unit's duty to report).

    A third party's report (the public page) starts no operator clock: the operator is not known yet and
    was not told, so it cannot be late (issue 15); a later report of the operator, merged in, is on time.
    """
    skip = ON_EVENT | {Code.OPERATOR_REPORT} if third_party else ON_EVENT
    clocks = []
    for policy in active_policies():
        if policy.code in skip:
            continue
        start = incident.detected_at if policy.code in STARTS_AT_DETECTION else received_at
        met = received_at if policy.code == Code.OPERATOR_REPORT and by_operator else None
        due = start + datetime.timedelta(hours=policy.hours)
        clocks.append(Deadline(incident=incident, code=policy.code, due_at=due, met_at=met))
    # Intake is the only caller, on an incident it has just created (no clock yet): one INSERT inside its
    # transaction instead of a look-up, a savepoint and an insert per clock (issue 18).
    return Deadline.objects.bulk_create(clocks)


def active_policies() -> tuple[DeadlinePolicy, ...]:
    """The active policies (kept per process inside intake's `config_cache.pinned()` block)."""
    return config_cache.cached(
        "deadline-policies", lambda: tuple(DeadlinePolicy.objects.filter(is_active=True))
    )


def restart(incident: Incident, code: str, *, at: datetime.datetime) -> Deadline | None:
    """Start (or start again, once met) an event's clock from its policy; none if the policy is off."""
    policy = DeadlinePolicy.objects.filter(code=code, is_active=True).first()
    if policy is None:
        return None
    due = at + datetime.timedelta(hours=policy.hours)
    deadline, created = Deadline.objects.get_or_create(incident=incident, code=code, defaults={"due_at": due})
    if not created and deadline.met_at is not None:
        deadline.due_at, deadline.met_at = due, None
        deadline.save(update_fields=["due_at", "met_at"])
    return deadline


def meet(incident: Incident, code: str, *, at: datetime.datetime | None = None) -> None:
    """Stop a clock the first time its duty is done (later repeats keep the first time)."""
    Deadline.objects.filter(incident=incident, code=code, met_at__isnull=True).update(
        met_at=at or timezone.now()
    )


def overdue(
    queryset: QuerySet[Deadline] | None = None, *, now: datetime.datetime | None = None
) -> QuerySet[Deadline]:
    base = queryset if queryset is not None else Deadline.objects.all()
    return base.filter(met_at__isnull=True, due_at__lt=now or timezone.now())


def meet_operator_report(incident: Incident, *, at: datetime.datetime) -> None:
    """A later report from the operator (e.g. merged in) discharges its reporting duty."""
    meet(incident, Code.OPERATOR_REPORT, at=at)
