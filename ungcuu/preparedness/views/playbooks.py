"""Applying a scenario to an incident (the playbook), from the fragment on the incident page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ungcuu.core.actions import refusal
from ungcuu.core.errors import Conflict
from ungcuu.incidents.access import can_handle
from ungcuu.incidents.models import Incident
from ungcuu.organizations import access
from ungcuu.preparedness import services
from ungcuu.preparedness.models import Scenario
from ungcuu.preparedness.presenters import incident_playbooks_context


@login_required
@require_POST
def playbook_apply(request, incident: int, scenario: int):
    """404 for an incident or scenario the user cannot see, 403 for a non-handler, 409 once closed."""
    incident_obj = access.get_visible_or_404(
        Incident.objects.select_related("system"), request.user, pk=incident
    )
    scenario_obj = access.get_visible_or_404(Scenario.objects.all(), request.user, pk=scenario)
    access.require(can_handle(request.user, incident_obj))
    already = incident_obj.playbook_runs.filter(scenario=scenario_obj).exists()
    try:
        run = services.apply_scenario(actor=request.user, incident=incident_obj, scenario=scenario_obj)
    except (Conflict, ValidationError) as exc:
        status, error = refusal(exc)
        context = incident_playbooks_context(request.user, incident_obj) | {"error": error}
        return render(request, "preparedness/playbook_result.html", context, status=status)
    if already:
        messages.info(request, _("This playbook was already applied; no task was added."))
    else:
        messages.success(request, _("Playbook applied: %(n)s tasks added.") % {"n": len(run.task_ids)})
    return redirect(reverse("incidents:detail", args=[incident_obj.pk]) + "#playbooks")
