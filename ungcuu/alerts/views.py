"""The alert groups' pages: the list (filters), one group, promoting it to an incident or dismissing it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ungcuu.alerts import access, services
from ungcuu.alerts.filters import AlertGroupFilterSet
from ungcuu.alerts.models import AlertGroup
from ungcuu.core import actions
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


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for dismissal"),
        max_length=services.DISMISSAL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _group_for(user, pk: int) -> AlertGroup:
    return get_visible_or_404(AlertGroup.objects.select_related("organization", "dismissed_by"), user, pk=pk)


def _render_detail(request, group: AlertGroup, status: int = 200, **extra):
    # The system and the incident are shown only where their own gate lets the reader in.
    may_decide = group.incident_id is None and access.can_promote(request.user, group)
    context = {
        "group": group,
        "system": InformationSystem.objects.visible_to(request.user).filter(pk=group.system_id).first(),
        "incident": Incident.objects.visible_to(request.user).filter(pk=group.incident_id).first(),
        "can_promote": may_decide,
        "can_dismiss": may_decide and group.status == AlertGroup.Status.OPEN,
        "dismiss_form": DismissForm(),
        **extra,
    }
    return render(request, "alerts/detail.html", context, status=status)


@login_required
def group_detail(request, pk: int):
    # Not GET-only: as on every object page, a hidden group is 404 whatever the method (no 405 first).
    return _render_detail(request, _group_for(request.user, pk))


dismiss = actions.action_view(
    fetch=_group_for,
    page=_render_detail,
    target="group",
    allowed=access.can_promote,
    service=services.dismiss_group,
    form_class=DismissForm,
    form_name="dismiss_form",
    success=gettext_lazy("Alert group dismissed."),
)


@login_required
@require_POST
def promote(request, pk: int):
    group = get_visible_or_404(AlertGroup.objects.select_related("organization"), request.user, pk=pk)
    incident = services.promote_group(actor=request.user, group=group)
    messages.success(
        request, _("Incident %(ref)s opened from the alert group.") % {"ref": incident.reference}
    )
    return redirect("incidents:detail", incident.pk)
