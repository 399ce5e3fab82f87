"""Response plan pages: list, draft, edit, approve, review, revise, versions and the DOCX export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ungcuu.core import actions
from ungcuu.core.actions import WRONG_STATE
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations.access import get_visible_or_404, require
from ungcuu.preparedness import access, services
from ungcuu.preparedness.filters import PlanFilterSet
from ungcuu.preparedness.forms import ApproveForm, PlanForm, ReviewForm
from ungcuu.preparedness.models import PlanVersion, ResponsePlan
from ungcuu.preparedness.render import DOCX_MIME, render_plan_docx
from ungcuu.preparedness.views.common import filename

_Plans = ResponsePlan.objects.select_related("organization", "replaces", "created_by")


def _plan_for(user, pk: int) -> ResponsePlan:
    return get_visible_or_404(_Plans, user, pk=pk)


@login_required
def plan_list(request):
    visible = ResponsePlan.objects.visible_to(request.user).select_related("organization")
    filters, plans = filter_page(PlanFilterSet, request, visible)
    context = {
        "filters": filters,
        "page": paginate(request, plans.prefetch_related("systems")),
        "can_create": access.can_create_anything(request.user),
    }
    return render_page_or_fragment(
        request, "preparedness/plan_list.html", "preparedness/_plan_table.html", context
    )


def _detail(request, plan: ResponsePlan, status: int = 200, **extra):
    user = request.user
    context = {
        "plan": plan,
        "versions": plan.versions.select_related("created_by")[:5],
        "version_count": plan.versions.count(),
        "revisions": plan.revisions.all(),
        "can_edit": access.can_edit_plan(user, plan),
        "approve_form": ApproveForm(),
        "review_form": ReviewForm(),
        **extra,
    }
    return render(request, "preparedness/plan_detail.html", context, status=status)


@login_required
def plan_detail(request, plan: int):
    return _detail(request, _plan_for(request.user, plan))


@login_required
def plan_create(request):
    require(access.can_create_anything(request.user))
    return actions.form_page(
        request,
        PlanForm(request.POST or None, user=request.user),
        call=lambda data: services.create_plan(actor=request.user, **data),
        success=_("Plan drafted. Approve it once its decision is signed."),
        template="preparedness/plan_form.html",
    )


@login_required
def plan_edit(request, plan: int):
    plan_obj = _plan_for(request.user, plan)
    require(access.can_edit_plan(request.user, plan_obj))
    if not plan_obj.is_draft:
        return _detail(
            request,
            plan_obj,
            WRONG_STATE,
            error=_("An approved plan is frozen: start a revision to change it."),
        )
    initial = PlanForm.initial_for(plan_obj)
    form = PlanForm(request.POST or None, user=request.user, plan=plan_obj, initial=initial)
    return actions.form_page(
        request,
        form,
        call=lambda data: services.update_plan(actor=request.user, plan=plan_obj, **data),
        success=_("Plan saved as a new version."),
        template="preparedness/plan_form.html",
        context={"plan": plan_obj},
        done=lambda _saved: redirect(plan_obj),
    )


# Approve / review on the plan's page: 404 hidden, 403 not allowed, 400 bad input, 409 wrong state.
_buttons = actions.ObjectActions(
    fetch=_plan_for,
    page=_detail,
    target="plan",
    allowed=access.can_edit_plan,
    forms={ApproveForm: "approve_form", ReviewForm: "review_form"},
)
plan_approve = _buttons.view(
    services.approve_plan,
    gettext_lazy("Plan approved; it is in force until its review date."),
    form=ApproveForm,
)
plan_review = _buttons.view(services.review_plan, gettext_lazy("Annual review recorded."), form=ReviewForm)


@login_required
@require_POST
def plan_revise(request, plan: int):
    plan_obj = _plan_for(request.user, plan)
    return actions.act_on(
        request,
        plan_obj,
        allowed=access.can_edit_plan(request.user, plan_obj),
        call=lambda _data: services.revise_plan(actor=request.user, plan=plan_obj),
        page=_detail,
        success=_("Revision drafted; the plan in force stays in force until it is approved."),
        done=redirect,
    )


@login_required
def plan_versions(request, plan: int):
    plan_obj = _plan_for(request.user, plan)
    context = {"plan": plan_obj, "versions": plan_obj.versions.select_related("created_by")}
    return render(request, "preparedness/plan_versions.html", context)


def _version_for(user, plan: int, version: int) -> PlanVersion:
    return get_visible_or_404(
        PlanVersion.objects.select_related("plan", "created_by"), user, plan_id=plan, pk=version
    )


@login_required
def plan_version(request, plan: int, version: int):
    version_obj = _version_for(request.user, plan, version)
    return render(
        request,
        "preparedness/plan_version.html",
        {"version": version_obj, "plan": version_obj.plan, "snap": version_obj.snapshot},
    )


def _docx(snapshot: dict, number: int) -> HttpResponse:
    response = HttpResponse(render_plan_docx(snapshot, version=number), content_type=DOCX_MIME)
    name = filename(
        "phuong an", snapshot["organization"]["code"], snapshot["title"], f"v{number}", ext="docx"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_docx(request, plan: int):
    """The plan as it stands (for a draft, what would be approved), numbered as its latest version."""
    plan_obj = _plan_for(request.user, plan)
    latest = plan_obj.versions.order_by("-number").first()
    return _docx(plan_obj.snapshot(), latest.number if latest else 1)


@login_required
def plan_version_docx(request, plan: int, version: int):
    version_obj = _version_for(request.user, plan, version)
    return _docx(version_obj.snapshot, version_obj.number)
