"""The scenario library: read by everyone, written by the coordinator (library) or a unit (its own)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations.access import get_visible_or_404, require
from ungcuu.preparedness import access, services
from ungcuu.preparedness.filters import ScenarioFilterSet
from ungcuu.preparedness.forms import ScenarioForm, StepFormSet, step_rows
from ungcuu.preparedness.models import ResponsePlan, Scenario
from ungcuu.preparedness.views.common import save_with_rows


def _scenario_for(user, pk: int) -> Scenario:
    return get_visible_or_404(Scenario.objects.select_related("organization"), user, pk=pk)


@login_required
def scenario_list(request):
    visible = Scenario.objects.visible_to(request.user).select_related("organization")
    filters, scenarios = filter_page(ScenarioFilterSet, request, visible)
    context = {
        "filters": filters,
        "page": paginate(
            request, scenarios.annotate(step_count=Count("steps")).order_by("category", "title", "id")
        ),
        "can_create": access.can_create_anything(request.user),
    }
    return render_page_or_fragment(
        request, "preparedness/scenario_list.html", "preparedness/_scenario_table.html", context
    )


@login_required
def scenario_detail(request, scenario: int):
    scenario_obj = _scenario_for(request.user, scenario)
    plans = (
        ResponsePlan.objects.visible_to(request.user)
        .filter(scenarios=scenario_obj)
        .select_related("organization")
    )
    context = {
        "scenario": scenario_obj,
        "steps": scenario_obj.steps.all(),
        "plans": plans,
        "can_edit": access.can_edit_scenario(request.user, scenario_obj),
    }
    return render(request, "preparedness/scenario_detail.html", context)


@login_required
def scenario_create(request):
    require(access.can_create_anything(request.user))
    form = ScenarioForm(request.POST or None, user=request.user)
    steps = StepFormSet(request.POST or None, prefix="steps")
    status = 200
    if request.method == "POST":
        created, status = save_with_rows(
            form,
            steps,
            step_rows,
            lambda data, rows: services.create_scenario(actor=request.user, steps=rows, **data),
        )
        if created is not None:
            messages.success(request, _("Scenario saved."))
            return redirect(created)
    return render(request, "preparedness/scenario_form.html", {"form": form, "steps": steps}, status=status)


@login_required
def scenario_edit(request, scenario: int):
    scenario_obj = _scenario_for(request.user, scenario)
    require(access.can_edit_scenario(request.user, scenario_obj))
    initial = {k: getattr(scenario_obj, k) for k in ("category", "title", "description", "is_active")}
    form = ScenarioForm(request.POST or None, user=request.user, scenario=scenario_obj, initial=initial)
    current = [step.snapshot() for step in scenario_obj.steps.all()]
    steps = StepFormSet(request.POST or None, prefix="steps", initial=current)
    status = 200
    if request.method == "POST":
        saved, status = save_with_rows(
            form,
            steps,
            step_rows,
            lambda data, rows: services.update_scenario(
                actor=request.user, scenario=scenario_obj, steps=rows, **data
            ),
        )
        if saved is not None:
            messages.success(request, _("Scenario saved."))
            return redirect(scenario_obj)
    context = {"form": form, "steps": steps, "scenario": scenario_obj}
    return render(request, "preparedness/scenario_form.html", context, status=status)
