"""Advisory pages: the index, writing and targeting, the detail, the matrix, the dispatch, and the units'
acknowledgement and state forms (page or HTMX fragment from the same view)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ungcuu.advisories import access, dispatch, presenters, services
from ungcuu.advisories.filters import AdvisoryFilterSet, MatrixFilterSet
from ungcuu.advisories.forms import (
    AdvisoryForm,
    CloseForm,
    StateForm,
    TargetsForm,
)
from ungcuu.advisories.models import Advisory, AdvisorySystemState, AdvisoryTarget
from ungcuu.advisories.targeting import propose_targets
from ungcuu.core import actions
from ungcuu.core.errors import Conflict
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import is_htmx, render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations.access import get_visible_or_404, require
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem

_Advisories = Advisory.objects.select_related("issuer", "issued_by")
_Targets = AdvisoryTarget.objects.select_related("advisory", "organization")
_States = AdvisorySystemState.objects.select_related("target__advisory", "target__organization", "system")


def _advisory_for(user, pk: int) -> Advisory:
    return get_visible_or_404(_Advisories, user, pk=pk)


def next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


# --- index, detail, writing -------------------------------------------------------------------------


@login_required
def advisory_list(request):
    user = request.user
    filters, advisories = filter_page(AdvisoryFilterSet, request, Advisory.objects.visible_to(user))
    advisories = advisories.select_related("issuer")
    # What the unit still owes, and what it finished lately (the rest stays in the table below).
    lately = timezone.now() - datetime.timedelta(days=14)
    own = presenters.own_targets(user).filter(advisory__status=Advisory.Status.PUBLISHED)
    own = own.exclude(status=AdvisoryTarget.Status.COMPLETED, completed_at__lt=lately)
    context = {
        "filters": filters,
        "page": paginate(request, advisories),  # drafts first, then the newest (Advisory.Meta.ordering)
        "own_targets": [presenters.target_context(user, t) for t in own],
        "can_write": access.can_write(user),
    }
    return render_page_or_fragment(request, "advisories/list.html", "advisories/_table.html", context)


@login_required
def advisory_detail(request, pk: int):
    advisory = _advisory_for(request.user, pk)
    return render(request, "advisories/detail.html", presenters.detail_context(request.user, advisory))


def _render_detail(request, advisory: Advisory, status: int, error: str):
    context = {**presenters.detail_context(request.user, advisory), "error": error}
    return render(request, "advisories/detail.html", context, status=status)


def _default_deadline() -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(days=7)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )


@login_required
def advisory_create(request):
    require(access.can_write(request.user))
    form = AdvisoryForm(request.POST or None, initial={"deadline": _default_deadline()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        advisory, _status = actions.run(form, lambda: services.create_advisory(actor=request.user, **data))
        if advisory is not None:
            messages.success(
                request, _("Draft %(ref)s saved. Check the proposed targets.") % {"ref": advisory.reference}
            )
            return redirect("advisories:targets", pk=advisory.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "advisories/form.html", {"form": form}, status=status)


@login_required
def advisory_edit(request, pk: int):
    advisory = _advisory_for(request.user, pk)
    require(access.can_write(request.user))
    form = AdvisoryForm(request.POST or None, advisory=advisory)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, status = actions.run(
            form, lambda: services.update_advisory(actor=request.user, advisory=advisory, **data)
        )
        if saved is not None:
            if advisory.status == Advisory.Status.DRAFT:
                # The products may have changed: the proposal is checked again before publishing.
                messages.success(request, _("Advisory saved. Check the targets again."))
                return redirect("advisories:targets", pk=advisory.pk)
            messages.success(request, _("Advisory saved."))
            return redirect(advisory)
    return render(request, "advisories/form.html", {"form": form, "advisory": advisory}, status=status)


# --- targets, publishing, closing -------------------------------------------------------------------


def _targets_context(advisory: Advisory, posted=None) -> dict:
    proposal = propose_targets(advisory)
    proposed_ids = {s.pk for t in proposal for s in t.systems}
    current = AdvisoryTarget.objects.filter(advisory=advisory).prefetch_related("states")
    current_systems = {s.system_id for t in current for s in t.states.all() if s.system_id}
    by_hand = {t.organization_id for t in current if not any(s.system_id for s in t.states.all())}
    if posted is not None:
        selected = {int(v) for v in posted.getlist("systems") if v.isdigit()}
        by_hand = {int(v) for v in posted.getlist("organizations") if v.isdigit()}
    else:
        selected = current_systems if current.exists() else proposed_ids
    others = InformationSystem.objects.filter(is_active=True).exclude(pk__in=proposed_ids)
    return {
        "advisory": advisory,
        "proposal": proposal,
        "selected": selected,
        "by_hand": by_hand,
        "other_systems": others.select_related("operator").order_by("operator__name", "name"),
        "organizations": Organization.objects.filter(is_active=True).order_by("name"),
    }


@login_required
def advisory_targets(request, pk: int):
    """The proposal from the registry, as ticked boxes the coordinator edits before publishing."""
    advisory = _advisory_for(request.user, pk)
    require(access.can_write(request.user))
    if request.method != "POST":
        return render(request, "advisories/targets.html", _targets_context(advisory))
    form = TargetsForm(request.POST)
    status, error = 400, ""
    if form.is_valid():
        try:
            services.set_targets(actor=request.user, advisory=advisory, **form.cleaned_data)
        except (Conflict, ValidationError) as exc:
            status, error = actions.refusal(exc)
        else:
            messages.success(request, _("Targets saved."))
            return redirect(advisory)
    context = {**_targets_context(advisory, request.POST), "form": form, "error": error}
    return render(request, "advisories/targets.html", context, status=status)


@login_required
@require_POST
def advisory_publish(request, pk: int):
    advisory = _advisory_for(request.user, pk)
    return actions.act_on(
        request,
        advisory,
        allowed=access.can_write(request.user),
        call=lambda _data: services.publish_advisory(actor=request.user, advisory=advisory),
        page=_render_detail,
        success=_("Advisory %(ref)s published; the target organizations are notified.")
        % {"ref": advisory.reference},
    )


@login_required
@require_POST
def advisory_close(request, pk: int):
    advisory = _advisory_for(request.user, pk)
    return actions.act_on(
        request,
        advisory,
        allowed=access.can_write(request.user),
        form=CloseForm(request.POST),
        call=lambda data: services.close_advisory(actor=request.user, advisory=advisory, note=data["note"]),
        page=_render_detail,
        success=_("Advisory closed."),
    )


@login_required
@require_GET
def advisory_dispatch(request, pk: int):
    """The official dispatch (.docx); its recipient list is why units may not download it."""
    advisory = _advisory_for(request.user, pk)
    require(access.can_read_dispatch(request.user))
    response = HttpResponse(dispatch.render_dispatch(advisory), content_type=dispatch.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{dispatch.filename(advisory)}"'
    return response


# --- the matrix -------------------------------------------------------------------------------------


@login_required
def matrix(request):
    """Who has done what: one row per target organization with its systems; units see their own rows."""
    user = request.user
    visible = AdvisoryTarget.objects.visible_to(user).exclude(advisory__status=Advisory.Status.DRAFT)
    filters, visible = filter_page(MatrixFilterSet, request, visible)
    targets = presenters.targets_with_states(visible).order_by(
        "-advisory__published_at", "advisory_id", "organization__name"
    )
    context = {
        "filters": filters,
        "page": paginate(request, targets, per_page=50),
        "summary": presenters.matrix_summary(targets),
        "sees_all": access.can_write(user) or getattr(user, "is_national", False),
        # One advisory chosen: its column would repeat the same reference on every row.
        "show_advisory": not (filters.is_valid() and filters.cleaned_data.get("advisory")),
    }
    if context["show_advisory"]:  # several advisories: organisations × advisories on one screen
        context["grid"] = presenters.matrix_grid(targets)
    return render_page_or_fragment(request, "advisories/matrix.html", "advisories/_matrix.html", context)


# --- what the units report --------------------------------------------------------------------------


def _target_response(
    request, target: AdvisoryTarget, *, status: int = 200, error: str = "", success: str = ""
):
    """The target's fragment for HTMX; otherwise back to where the form was, with the outcome."""
    if is_htmx(request):
        fresh = presenters.targets_with_states(AdvisoryTarget.objects.filter(pk=target.pk)).get()
        context = presenters.target_context(request.user, fresh, error=error, message=success)
        return render(request, "advisories/_target.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(next_url(request, target.advisory.get_absolute_url()))


def _target_refused(request, target: AdvisoryTarget, exc: Exception):
    status, error = actions.refusal(exc)
    return _target_response(request, target, status=status, error=error)


@login_required
@require_POST
def target_acknowledge(request, target: int):
    row = get_visible_or_404(_Targets, request.user, pk=target)
    require(access.can_respond(request.user, row))
    try:
        services.acknowledge_advisory(actor=request.user, target=row)
    except (Conflict, ValidationError) as exc:
        return _target_refused(request, row, exc)
    return _target_response(request, row, success=_("Receipt acknowledged."))


@login_required
@require_POST
def state_update(request, state: int):
    row = get_visible_or_404(_States, request.user, pk=state)
    require(access.can_report_state(request.user, row))
    form = StateForm(request.POST)
    if not form.is_valid():
        return _target_response(request, row.target, status=400, error=_("Choose a state."))
    try:
        services.update_system_state(actor=request.user, state=row, **form.cleaned_data)
    except (Conflict, ValidationError) as exc:
        return _target_refused(request, row.target, exc)
    return _target_response(
        request, row.target, success=_("State saved: %(system)s.") % {"system": row.label}
    )
