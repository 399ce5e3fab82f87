"""The alert groups' pages: the list (filters), one group, and promoting it to an incident."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ungcuu.alerts import access, services
from ungcuu.alerts.filters import AlertGroupFilterSet
from ungcuu.alerts.models import AlertGroup
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.incidents.models import Incident
from ungcuu.organizations.access import get_visible_or_404
from ungcuu.systems.models import InformationSystem


@login_required
@require_GET
def group_list(request):
    visible = AlertGroup.objects.visible_to(request.user).select_related("organization", "system")
    filters, groups = filter_page(AlertGroupFilterSet, request, visible)
    context = {"filters": filters, "page": paginate(request, groups)}
    return render_page_or_fragment(request, "alerts/list.html", "alerts/_table.html", context)


@login_required
def group_detail(request, pk: int):
    # Not GET-only: as on every object page, a hidden group is 404 whatever the method (no 405 first).
    group = get_visible_or_404(AlertGroup.objects.select_related("organization"), request.user, pk=pk)
    # The system and the incident are shown only where their own gate lets the reader in.
    context = {
        "group": group,
        "system": InformationSystem.objects.visible_to(request.user).filter(pk=group.system_id).first(),
        "incident": Incident.objects.visible_to(request.user).filter(pk=group.incident_id).first(),
        "can_promote": group.incident_id is None and access.can_promote(request.user, group),
    }
    return render(request, "alerts/detail.html", context)


@login_required
@require_POST
def promote(request, pk: int):
    group = get_visible_or_404(AlertGroup.objects.select_related("organization"), request.user, pk=pk)
    incident = services.promote_group(actor=request.user, group=group)
    messages.success(
        request, _("Incident %(ref)s opened from the alert group.") % {"ref": incident.reference}
    )
    return redirect("incidents:detail", incident.pk)
