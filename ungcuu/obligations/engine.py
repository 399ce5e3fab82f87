"""The periodic side of obligations: generate occurrences, flag overdue ones, send reminders (reminders.py).

Every function here is idempotent and takes `now`, so a scheduler may run it hourly, twice at once, or a
test may walk the clock through two years. Uniqueness lives in the database (one occurrence per period,
one reminder per lead time), so a second run finds nothing left to do.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from ungcuu.obligations import drills, periods
from ungcuu.obligations.models import ObligationDefinition, Occurrence
from ungcuu.obligations.reminders import send_due_reminders
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.webhooks.events import emit_many
from ungcuu.webhooks.models import Event as WebhookEvent

logger = logging.getLogger(__name__)
Status = Occurrence.Status
HORIZON_MONTHS = 13

Key = tuple[int, int, int | None, datetime.date]  # definition, organization, system, period_start


@dataclass(frozen=True)
class RunSummary:
    created: int
    overdue: int
    reminders: int

    def __str__(self) -> str:
        return f"{self.created} occurrences created, {self.overdue} overdue, {self.reminders} reminders sent"


# --- generating -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Population:
    """What one run works from, read once: active systems and organizations, and the occurrences that
    already exist in the run's window (as keys), so a run that finds everything in place is cheap."""

    systems: list[tuple[int, int, int]]  # (operator id, system id, level)
    organizations: list[tuple[int, str, bool]]  # (id, kind, is network member)
    present: set[tuple]  # (definition id, *plan key)
    last_drills: dict[int, datetime.date]  # system id → the registry's last live-fire drill (drills.py)

    @classmethod
    def load(cls, *, since: datetime.date, until: datetime.date) -> Population:
        systems = InformationSystem.objects.filter(is_active=True, operator__is_active=True)
        orgs = Organization.objects.filter(is_active=True)
        window = Occurrence.objects.filter(due_on__gte=since, period_start__lte=until)
        rows = window.values_list("definition_id", "organization_id", "system_id", "period_start")
        return cls(
            list(systems.values_list("operator_id", "id", "security_level")),
            list(orgs.values_list("id", "kind", "is_network_member")),
            {(definition, *_plan_key(org, system, start)) for definition, org, system, start in rows},
            dict(systems.filter(last_drill_on__isnull=False).values_list("id", "last_drill_on")),
        )

    def targets(self, definition: ObligationDefinition) -> list[tuple[int, int | None]]:
        """(organization id, system id) pairs that owe this obligation today."""
        if definition.applies_to_systems:
            return [(op, pk) for op, pk, level in self.systems if level >= definition.min_security_level]
        kinds = set(definition.applies_to_kinds or [])
        members = definition.applies_to_network_members
        return [
            (pk, None) for pk, kind, member in self.organizations if kind in kinds or (members and member)
        ]


def _plan_key(org: int, system: int | None, start: datetime.date) -> tuple:
    # A per-system occurrence is keyed on the system alone: its operator may change between runs.
    return (None, system, start) if system is not None else (org, None, start)


def planned_occurrences(definition, population: Population, since, until, now) -> list[Occurrence]:
    """Unsaved occurrences of `definition` due in [since, until] that do not exist yet."""
    dues = periods.periods_due_between(
        start=since, end=until, period_months=definition.period_months, fixed_dates=definition.fixed_dates
    )
    present, pk, targets = population.present, definition.pk, population.targets(definition)
    planned = []
    for period in dues:
        for org, system in targets:
            if (pk, *_plan_key(org, system, period.start)) in present:
                continue
            due = period.end
            if definition.code == drills.CODE and system is not None:  # DRILL_YEAR_RULE (drills.py)
                due = drills.drill_due(period, population.last_drills.get(system))
            planned.append(
                Occurrence(
                    definition=definition,
                    organization_id=org,
                    system_id=system,
                    period_start=period.start,
                    due_on=due,
                    status=Status.OVERDUE if due < now else Status.DUE,
                )
            )
    return planned


@transaction.atomic
def generate_occurrences(
    *, until: datetime.date, now: datetime.date, since: datetime.date | None = None
) -> int:
    """Create the missing occurrences due in [since or now, until]; returns how many."""
    since = since or now
    population = Population.load(since=since, until=until)
    created = 0
    for definition in ObligationDefinition.objects.filter(active=True, is_event_driven=False):
        rows = planned_occurrences(definition, population, since, until, now)
        # ignore_conflicts: a scheduler running at the same moment may have inserted some already
        # (then the count is a little high; the rows are not doubled).
        created += len(Occurrence.objects.bulk_create(rows, ignore_conflicts=True))
    return created


def mark_overdue(now: datetime.date) -> int:
    """Flag every occurrence still due after its due date; returns how many changed."""
    with transaction.atomic():
        late = Occurrence.objects.select_for_update().filter(status=Status.DUE, due_on__lt=now)
        ids = list(late.values_list("pk", flat=True))
        changed = Occurrence.objects.filter(pk__in=ids, status=Status.DUE).update(
            status=Status.OVERDUE, updated_at=timezone.now()
        )
        emit_many(WebhookEvent.OBLIGATION_OVERDUE, ids)
    return changed


# --- the periodic job -----------------------------------------------------------------------------------


def run_obligations(now: datetime.date | None = None) -> RunSummary:
    """Generate 13 months ahead, flag overdue, send reminders: the hourly job and the cron command."""
    now = now or timezone.localdate()
    summary = RunSummary(
        created=generate_occurrences(until=now + relativedelta(months=HORIZON_MONTHS), now=now),
        overdue=mark_overdue(now),
        reminders=send_due_reminders(now),
    )
    logger.info("obligations on %s: %s", now, summary)
    return summary
