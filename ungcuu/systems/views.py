"""Registry pages: list/search, detail, register, edit, and the dossier decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.core import actions
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations.access import get_visible_or_404, require
from ungcuu.systems import access, services
from ungcuu.systems.filters import SystemFilterSet
from ungcuu.systems.forms import (
    AppraiseForm,
    ApproveForm,
    InformationSystemForm,
    ReturnForm,
)
from ungcuu.systems.models import InformationSystem


def _system_for(user, pk: int) -> InformationSystem:
    return get_visible_or_404(InformationSystem.objects.select_related("owner", "operator"), user, pk=pk)


@login_required
def system_list(request):
    visible = InformationSystem.objects.visible_to(request.user).select_related("owner", "operator")
    filters, systems = filter_page(SystemFilterSet, request, visible)
    context = {
        "filters": filters,
        "page": paginate(request, systems),
        "can_register": access.can_register_anywhere(request.user),
    }
    return render_page_or_fragment(request, "systems/list.html", "systems/_table.html", context)


@login_required
def system_detail(request, pk: int):
    return _render_detail(request, _system_for(request.user, pk))


def _render_detail(request, system: InformationSystem, status: int = 200):
    context = {
        "system": system,
        "events": system.events.select_related("actor")[:50],
        "can_edit": access.can_edit_system(request.user, system),
        "can_decide": access.can_decide_level(request.user, system),
        # NĐ85 Art. 12: who approves depends on the level; the coordinator sees why it may not (issue 13.9).
        "can_approve": access.can_approve_level(request.user, system),
        "approval_refusal": access.approval_refusal(request.user, system),
        "appraise_form": AppraiseForm(auto_id="appraise_%s"),
        "approve_form": ApproveForm(auto_id="approve_%s"),
        "return_form": ReturnForm(auto_id="return_%s"),
    }
    return render(request, "systems/detail.html", context, status=status)


def _form_kwargs(form) -> dict:
    data = dict(form.cleaned_data)
    software = data.pop("software_text")
    contacts = data.pop("contacts")
    return {"software": software, "contacts": contacts, **data}


@login_required
def system_create(request):
    require(access.can_register_anywhere(request.user))
    form = InformationSystemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        system = services.register_system(actor=request.user, **_form_kwargs(form))
        messages.success(request, _("System registered; its proposed level awaits appraisal."))
        return redirect("systems:detail", pk=system.pk)
    return render(request, "systems/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def system_edit(request, pk: int):
    system = _system_for(request.user, pk)
    require(access.can_edit_system(request.user, system))
    form = InformationSystemForm(request.POST or None, instance=system, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_system(actor=request.user, system=system, **_form_kwargs(form))
        messages.success(request, _("System saved."))
        return redirect("systems:detail", pk=system.pk)
    return render(
        request, "systems/form.html", {"form": form, "system": system}, status=400 if form.errors else 200
    )


def _refused(request, system: InformationSystem, status: int, error: str = "", refused=None):
    """A refused dossier decision: the reason flashed, the system's page again with 400 or 409."""
    if not error:
        errors = "; ".join(e for errs in refused.errors.values() for e in errs)
        error = _("Please correct the dossier decision: %(errors)s") % {"errors": errors}
    messages.error(request, error)
    return _render_detail(request, system, status)


def _may_approve(user, system: InformationSystem) -> bool:
    """NĐ85 Art. 12: who approves depends on the level; a 403 names the body the law names."""
    access.require_approval_authority(user, system)
    return True


# The dossier decisions of the system's page (appraise, approve, return).
_decisions = actions.ObjectActions(
    fetch=_system_for,
    page=_refused,
    target="system",
    allowed=access.can_decide_level,
    done=lambda request, system, _result: redirect("systems:detail", pk=system.pk),
    form_name="refused",
)
system_appraise = _decisions.view(
    services.appraise_dossier, gettext_lazy("Appraisal recorded."), form=AppraiseForm
)
system_approve = _decisions.view(
    services.approve_level, gettext_lazy("Security level approved."), allowed=_may_approve, form=ApproveForm
)
system_return = _decisions.view(
    services.return_dossier, gettext_lazy("Dossier returned for revision."), form=ReturnForm
)
