"""The scenario library: create and edit scenarios and their ordered steps."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ungcuu.core import taxonomy
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Organization
from ungcuu.preparedness import access
from ungcuu.preparedness.models import STAGES, PreparednessEvent, Scenario, ScenarioStep
from ungcuu.preparedness.models.scenarios import MAX_OFFSET_HOURS
from ungcuu.preparedness.services.common import Errors, add_error, clean_model, log, raise_if

Event = PreparednessEvent.Kind
SCENARIO_FIELDS = ("category", "title", "description", "is_active")


@transaction.atomic
def create_scenario(
    *,
    actor,
    category: str,
    title: str,
    steps: list[dict],
    organization: Organization | None = None,
    description: str = "",
    is_active: bool = True,
) -> Scenario:
    """Add a scenario to the provincial library (coordinator) or to one unit's own (its managers)."""
    require(access.can_add_scenario(actor, organization))
    scenario = Scenario(organization=organization, created_by=actor)
    _fill(
        scenario, {"category": category, "title": title, "description": description, "is_active": is_active}
    )
    rows = _checked(scenario, steps)
    scenario.save()
    _replace_steps(scenario, rows)
    log(
        Event.SCENARIO_CREATED,
        actor=actor,
        subject=scenario,
        organization=organization,
        message=scenario.title,
    )
    return scenario


@transaction.atomic
def update_scenario(*, actor, scenario: Scenario, steps: list[dict] | None = None, **fields) -> Scenario:
    """Edit a scenario; approved plans keep the steps they were approved with in their snapshots."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    require(access.can_edit_scenario(actor, scenario))
    _fill(scenario, fields)
    current = [step.snapshot() for step in scenario.steps.all()]
    rows = _checked(scenario, current if steps is None else steps)
    scenario.save()
    if steps is not None:
        _replace_steps(scenario, rows)
    log(
        Event.SCENARIO_UPDATED,
        actor=actor,
        subject=scenario,
        organization=scenario.organization,
        message=scenario.title,
    )
    return scenario


def _fill(scenario: Scenario, fields: dict) -> None:
    unknown = set(fields) - set(SCENARIO_FIELDS)
    if unknown:
        raise TypeError(f"not scenario fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(scenario, name, value.strip() if isinstance(value, str) else value)


def _checked(scenario: Scenario, steps: list[dict]) -> list[ScenarioStep]:
    errors: Errors = {}
    clean_model(scenario, errors, exclude=["organization", "created_by"])
    if scenario.category and scenario.category not in taxonomy.incident_categories():
        errors["category"] = [_("Unknown incident category.")]
    rows = _step_rows(steps, errors)
    raise_if(errors)
    return rows


def _step_rows(steps: list[dict], errors: Errors) -> list[ScenarioStep]:
    """Steps in the given order (by their `order` key when given), renumbered 1..n."""
    ordered = sorted(enumerate(steps), key=lambda pair: (pair[1].get("order") or pair[0] + 1, pair[0]))
    rows = []
    for number, (_index, step) in enumerate(ordered, start=1):
        problem = _step_problem(step)
        if problem:
            add_error(errors, "steps", _("Step %(n)s: %(problem)s") % {"n": number, "problem": problem})
            continue
        rows.append(
            ScenarioStep(
                order=number,
                stage=step["stage"],
                title=step["title"].strip(),
                detail=(step.get("detail") or "").strip(),
                owner_role=step["owner_role"],
                due_offset_hours=int(step.get("due_offset_hours") or 0),
            )
        )
    if not steps:
        add_error(errors, "steps", _("Add at least one response step."))
    return rows


def _step_problem(step: dict) -> str:
    if not (step.get("title") or "").strip():
        return _("say what is to be done.")
    if len(step["title"].strip()) > 250:
        return _("keep the step under 250 characters; put the rest in its detail.")
    if step.get("stage") not in {s.value for s in STAGES}:
        return _("choose a workflow stage.")
    if step.get("owner_role") not in taxonomy.roles():
        return _("choose who does it.")
    hours = step.get("due_offset_hours") or 0
    if not isinstance(hours, int) or isinstance(hours, bool) or not 0 <= hours <= MAX_OFFSET_HOURS:
        return _("the due time is a whole number of hours up to %(max)s.") % {"max": MAX_OFFSET_HOURS}
    return ""


def _replace_steps(scenario: Scenario, rows: list[ScenarioStep]) -> None:
    """Steps are referenced by nothing (runs and plan versions copy them), so they are replaced whole."""
    scenario.steps.all().delete()
    for row in rows:
        row.scenario = scenario
    ScenarioStep.objects.bulk_create(rows)
