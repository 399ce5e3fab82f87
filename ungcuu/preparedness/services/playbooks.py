"""Playbooks: which scenarios fit a classified incident, and turning one into the incident's tasks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ungcuu.core.errors import InvalidTransition
from ungcuu.incidents.access import can_handle
from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.services import add_task
from ungcuu.incidents.timeline import record
from ungcuu.organizations import access
from ungcuu.preparedness.models import (
    PlaybookRun,
    PreparednessEvent,
    ResponsePlan,
    Scenario,
    ScenarioStep,
    category_group,
    role_label,
    stage_for,
)
from ungcuu.preparedness.services.common import log


class Match:
    EXACT = "exact"  # the scenario's category is the incident's
    GROUP = "group"  # same cause (ATTACK, SYSTEM, …), another subtype
    LIBRARY = "library"  # no plan scenario fits: the provincial library's, for the same category


@dataclass(frozen=True)
class Suggestion:
    """A scenario offered for an incident, the plan it comes from, and whether it was applied already."""

    scenario: Scenario
    plan: ResponsePlan | None
    match: str
    run: PlaybookRun | None = None


def plans_for(incident: Incident) -> list[ResponsePlan]:
    """Approved plans that cover the affected system first, then the rest of its organizations' plans."""
    approved = ResponsePlan.objects.approved().select_related("organization")
    system = incident.system
    if system is not None:
        own = list(approved.filter(systems=system).order_by("-approved_on", "-id"))
        orgs = Q(organization_id__in={system.operator_id, system.owner_id})
    elif incident.operator_id:
        own, orgs = [], Q(organization_id=incident.operator_id)
    else:
        return []
    rest = approved.filter(orgs).exclude(pk__in=[p.pk for p in own]).order_by("-approved_on", "-id")
    return [*own, *rest]


def suggest_scenarios(incident: Incident, *, user=None) -> list[Suggestion]:
    """Scenarios of the affected system's approved plans that match the incident's category.

    Exact category first, then the same cause group; with no match in any plan, the provincial library's
    scenarios of the category. Given a `user`, only what that user may see is offered.
    """
    if not incident.category:
        return []
    pairs = _plan_scenarios(incident)
    exact = [(s, p) for s, p in pairs if s.category == incident.category]
    group = [
        (s, p)
        for s, p in pairs
        if s.category != incident.category and s.group == category_group(incident.category)
    ]
    found: list[tuple[Scenario, ResponsePlan | None, str]] = [(s, p, Match.EXACT) for s, p in exact]
    found += [(s, p, Match.GROUP) for s, p in group]
    if not found:
        library = Scenario.objects.active().filter(organization__isnull=True, category=incident.category)
        found = [(s, None, Match.LIBRARY) for s in library.prefetch_related("steps")]
    if user is not None:
        found = _visible_only(found, user)
    runs = {
        run.scenario_id: run
        for run in PlaybookRun.objects.filter(incident=incident).select_related("applied_by")
    }
    return [Suggestion(s, p, m, runs.get(s.pk)) for s, p, m in found]


def _plan_scenarios(incident: Incident) -> list[tuple[Scenario, ResponsePlan]]:
    seen: set[int] = set()
    pairs = []
    for plan in plans_for(incident):
        for scenario in plan.scenarios.active().prefetch_related("steps").order_by("category", "title"):
            if scenario.pk not in seen:
                seen.add(scenario.pk)
                pairs.append((scenario, plan))
    return pairs


def _visible_only(found: list, user) -> list:
    scenarios = set(
        Scenario.objects.visible_to(user)
        .filter(pk__in=[s.pk for s, _p, _m in found])
        .values_list("pk", flat=True)
    )
    plans = set(ResponsePlan.objects.visible_to(user).values_list("pk", flat=True))
    return [(s, p if p is not None and p.pk in plans else None, m) for s, p, m in found if s.pk in scenarios]


@transaction.atomic
def apply_scenario(
    *, actor, incident: Incident, scenario: Scenario, plan: ResponsePlan | None = None
) -> PlaybookRun:
    """Turn a scenario's steps into the incident's tasks, once; applying it again returns the first run."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    access.require(can_handle(actor, incident))
    if not incident.is_open:
        raise InvalidTransition(_("Playbooks apply to open incidents only."))
    if not Scenario.objects.visible_to(actor).filter(pk=scenario.pk).exists():
        raise PermissionDenied
    existing = PlaybookRun.objects.filter(incident=incident, scenario=scenario).first()
    if existing is not None:
        return existing
    steps = list(scenario.steps.all())
    if not steps:
        raise ValidationError(_("This scenario has no steps."))
    plan = plan or _plan_linking(incident, scenario)
    # Task titles and the timeline are read by everyone on the incident: the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        tasks = [_task_for(actor, incident, step) for step in steps]
        record(
            incident,
            TimelineEvent.Kind.NOTE,
            actor=actor,
            message=_("Playbook applied: %(title)s (%(n)s tasks).")
            % {"title": scenario.title, "n": len(tasks)},
            playbook_scenario_id=scenario.pk,
            plan_id=plan.pk if plan else None,
        )
    run = PlaybookRun.objects.create(
        incident=incident, scenario=scenario, plan=plan, applied_by=actor, task_ids=[t.pk for t in tasks]
    )
    log(
        PreparednessEvent.Kind.PLAYBOOK_APPLIED,
        actor=actor,
        subject=incident,
        organization=incident.operator,
        message=scenario.title,
        scenario=scenario.pk,
        tasks=run.task_ids,
    )
    return run


def _task_for(actor, incident: Incident, step: ScenarioStep):
    stage = stage_for(step.stage, incident.procedure)
    title = f"[{stage.label}] {step.title} — {role_label(step.owner_role)}"
    due = timezone.now() + datetime.timedelta(hours=step.due_offset_hours) if step.due_offset_hours else None
    return add_task(actor=actor, incident=incident, title=title[:300], owner=None, due_at=due)


def _plan_linking(incident: Incident, scenario: Scenario) -> ResponsePlan | None:
    return next((p for p in plans_for(incident) if p.scenarios.filter(pk=scenario.pk).exists()), None)
