"""Drill pages: list, plan or record, the drill with its findings, and follow-up actions to closure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ungcuu.core.actions import WRONG_STATE, ObjectActions, act_on, form_page, run
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations.access import get_visible_or_404, require
from ungcuu.preparedness import access, services
from ungcuu.preparedness.filters import DrillFilterSet
from ungcuu.preparedness.forms import (
    CancelDrillForm,
    CloseFollowUpForm,
    DrillForm,
    FindingForm,
    FollowUpForm,
    RecordDrillForm,
)
from ungcuu.preparedness.models import Drill, DrillFinding, FollowUpAction
from ungcuu.systems.models import InformationSystem

_Drills = Drill.objects.select_related("organization", "scenario", "created_by")


def _drill_for(user, pk: int) -> Drill:
    return get_visible_or_404(_Drills, user, pk=pk)


@login_required
def drill_list(request):
    visible = Drill.objects.visible_to(request.user).select_related("organization", "scenario")
    filters, drills = filter_page(DrillFilterSet, request, visible)
    context = {
        "filters": filters,
        "page": paginate(request, drills),
        "can_create": access.can_create_anything(request.user),
    }
    return render_page_or_fragment(
        request, "preparedness/drill_list.html", "preparedness/_drill_table.html", context
    )


def _detail(request, drill: Drill, status: int = 200, **extra):
    user = request.user
    systems = drill.systems.select_related("operator")
    visible = systems.filter(pk__in=InformationSystem.objects.visible_to(user).values("pk"))
    context = {
        "drill": drill,
        "participants": drill.participants.all(),
        # Systems of units the reader does not see are counted, not named (the tenancy boundary).
        "systems": visible,
        "hidden_systems": systems.count() - visible.count(),
        "findings": drill.findings.prefetch_related("actions__owner"),
        "can_edit": access.can_edit_drill(user, drill),
        "record_form": RecordDrillForm(),
        "cancel_form": CancelDrillForm(),
        "finding_form": FindingForm(drill=drill, user=user),
        "follow_up_form": FollowUpForm(drill=drill, user=user),
        "close_form": CloseFollowUpForm(),
        **extra,
    }
    return render(request, "preparedness/drill_detail.html", context, status=status)


@login_required
def drill_detail(request, drill: int):
    return _detail(request, _drill_for(request.user, drill))


@login_required
def drill_create(request):
    require(access.can_create_anything(request.user))
    return form_page(
        request,
        DrillForm(request.POST or None, user=request.user),
        call=lambda data: services.create_drill(actor=request.user, **data),
        success=lambda drill: (
            _("Drill recorded.")
            if drill.status == Drill.Status.HELD
            else _("Drill planned; participants are told.")
        ),
        template="preparedness/drill_form.html",
    )


@login_required
def drill_edit(request, drill: int):
    drill_obj = _drill_for(request.user, drill)
    require(access.can_edit_drill(request.user, drill_obj))
    if drill_obj.status != Drill.Status.PLANNED:
        return _detail(
            request,
            drill_obj,
            WRONG_STATE,
            error=_("A held or cancelled drill is a record; add findings instead of editing it."),
        )
    form = DrillForm(
        request.POST or None, user=request.user, drill=drill_obj, initial=DrillForm.initial_for(drill_obj)
    )
    return form_page(
        request,
        form,
        call=lambda data: services.update_drill(actor=request.user, drill=drill_obj, **data),
        success=_("Drill saved."),
        template="preparedness/drill_form.html",
        context={"drill": drill_obj},
        done=lambda _saved: redirect(drill_obj),
    )


def _drill_action(request, drill: Drill, form, form_name: str, call, success: str):
    """The drill page's actions (record, cancel, findings, follow-ups): only whoever may edit the drill."""
    return act_on(
        request,
        drill,
        allowed=access.can_edit_drill(request.user, drill),
        form=form,
        form_name=form_name,
        call=lambda _data: call(),
        page=_detail,
        success=success,
    )


# Record / cancel on the drill's page: only whoever may edit the drill.
_buttons = ObjectActions(
    fetch=_drill_for,
    page=_detail,
    target="drill",
    allowed=access.can_edit_drill,
    forms={RecordDrillForm: "record_form", CancelDrillForm: "cancel_form"},
)
drill_record = _buttons.view(
    services.record_drill, gettext_lazy("Drill recorded as held."), form=RecordDrillForm
)
drill_cancel = _buttons.view(services.cancel_drill, gettext_lazy("Drill cancelled."), form=CancelDrillForm)


@login_required
@require_POST
def finding_add(request, drill: int):
    drill_obj = _drill_for(request.user, drill)
    form = FindingForm(request.POST, drill=drill_obj, user=request.user)

    def call():
        data = form.cleaned_data
        return services.add_finding(
            actor=request.user,
            drill=drill_obj,
            title=data["title"],
            severity=data["severity"],
            description=data["description"],
            follow_ups=form.follow_ups(),
        )

    return _drill_action(request, drill_obj, form, "finding_form", call, _("Finding recorded."))


def _finding_for(user, pk: int) -> DrillFinding:
    return get_visible_or_404(DrillFinding.objects.select_related("drill__organization"), user, pk=pk)


@login_required
@require_POST
def followup_add(request, finding: int):
    finding_obj = _finding_for(request.user, finding)
    drill_obj = finding_obj.drill
    form = FollowUpForm(request.POST, drill=drill_obj, user=request.user)
    return _drill_action(
        request,
        drill_obj,
        form,
        "follow_up_form",
        lambda: services.add_follow_up(actor=request.user, finding=finding_obj, **form.cleaned_data),
        _("Follow-up action added; its owner is told."),
    )


def _follow_up_for(user, pk: int) -> FollowUpAction:
    queryset = FollowUpAction.objects.select_related("finding__drill__organization", "owner")
    return get_visible_or_404(queryset, user, pk=pk)


@login_required
@require_POST
def followup_close(request, followup: int):
    action = _follow_up_for(request.user, followup)
    require(access.can_close_follow_up(request.user, action))
    form = CloseFollowUpForm(request.POST)
    done, status = (None, 400)
    if form.is_valid():
        done, status = run(
            form, lambda: services.close_follow_up(actor=request.user, action=action, **form.cleaned_data)
        )
    if done is None:
        drill = _Drills.get(pk=action.finding.drill_id)
        return _detail(request, drill, status, failed_close_form=form, closing=action.pk)
    messages.success(request, _("Follow-up action closed."))
    if request.POST.get("back") == "list":
        return redirect("preparedness:followup_list")
    return redirect(action.finding.drill)


@login_required
def followup_list(request):
    """Open actions first, overdue on top: the list a unit works down until everything is closed."""
    show = request.GET.get("show", "open")
    actions = FollowUpAction.objects.visible_to(request.user).select_related("finding__drill", "owner")
    if show == "open":
        actions = actions.open()
    elif show == "overdue":
        actions = actions.overdue()
    context = {
        "page": paginate(request, actions.order_by("status", "due_on", "id")),
        "show": show,
        "close_form": CloseFollowUpForm(),
    }
    return render_page_or_fragment(
        request, "preparedness/followup_list.html", "preparedness/_followup_table.html", context
    )
