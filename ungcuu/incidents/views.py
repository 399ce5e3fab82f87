"""Incident pages: intake doors (form 03, public page), list, detail and the handling actions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ungcuu.core import actions, challenge, platform, ratelimit
from ungcuu.core.clientip import client_ip
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import is_htmx, render_page_or_fragment
from ungcuu.core.pagination import paginate, paginate_keyset
from ungcuu.incidents import bulk as bulk_actions
from ungcuu.incidents import closing, forms, queries, services
from ungcuu.incidents.access import can_add_entry, can_complete_task, can_handle, is_coordinator_of
from ungcuu.incidents.filters import IncidentFilterSet
from ungcuu.incidents.models import Incident, Task
from ungcuu.incidents.presenters import (
    PAGE_SIZES,
    detail_context,
    list_page,
    page_size,
    report_input_from_form03,
    report_input_from_public,
)
from ungcuu.organizations import access
from ungcuu.organizations.access import is_coordinator
from ungcuu.organizations.models import Organization


def _incident_for(user, pk: int) -> Incident:
    related = ("system", "operator", "owner", "merged_into")
    return access.get_visible_or_404(Incident.objects.select_related(*related), user, pk=pk)


@login_required
def incident_list(request):
    filters, incidents = filter_page(IncidentFilterSet, request, Incident.objects.visible_to(request.user))
    incidents = incidents.for_list()
    per_page = page_size(request)
    if filters.is_valid() and filters.cleaned_data.get("sort"):
        page = paginate(request, incidents, per_page=per_page)  # a chosen column: numbered pages
    else:  # newest first: counted pages up to the cap, then a cursor (issue 18)
        page = paginate_keyset(request, incidents, "reported_at", per_page=per_page)
    context = {
        "filters": filters,
        "page": list_page(page),
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "bulk_form": forms.BulkForm() if is_coordinator(request.user) else None,
    }
    return render_page_or_fragment(request, "incidents/list.html", "incidents/_table.html", context)


@login_required
def incident_detail(request, pk: int):
    """The workspace; an htmx request (an action answered in place) gets the workspace alone."""
    incident = _incident_for(request.user, pk)
    return _workspace(request, incident)


@login_required
def team_work(request, org_pk: int):
    """A response team's open work on one page: the tasks it owns, on incidents the reader may see."""
    team = access.get_visible_or_404(Organization.objects.all(), request.user, pk=org_pk)
    return render(request, "incidents/team_work.html", queries.team_work(request.user, team))


def _workspace(request, incident: Incident, status: int = 200, refused=None):
    context = {**detail_context(request.user, incident, refused=refused), "in_place": is_htmx(request)}
    return render_page_or_fragment(
        request, "incidents/detail.html", "incidents/_workspace.html", context, status=status
    )


@login_required
def report_form03(request):
    """Door (a): the form-03 initial report for logged-in units."""
    initial = {
        "reporter_name": request.user.get_full_name(),
        "reporter_email": request.user.email,
        "contact_name": request.user.get_full_name(),
        "contact_email": request.user.email,
        "contact_phone": request.user.phone,
        "reporter_phone": request.user.phone,
        "idempotency_key": uuid.uuid4().hex,
    }
    form = forms.Form03(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.submit_report(
                actor=request.user, data=report_input_from_form03(form.cleaned_data)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("incidents:received", pk=report.incident.pk)
    return render(request, "incidents/report_form03.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def report_received(request, pk: int):
    incident = _incident_for(request.user, pk)
    return render(request, "incidents/received.html", {"incident": incident})


def public_report(request):
    """Door (b): a public page for people without an account, rate-limited, with a local challenge."""
    form = forms.PublicReportForm(request.POST or None)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        report, status = _accept_public(request, form)
        if report is not None:
            request.session["public_report_ref"] = report.incident.reference
            return redirect("public_report_thanks")
    if form.is_bound:  # keep what the person typed; a right answer stays, the first showing's time too
        question = challenge.renew(form.data.get("challenge", ""))
        form.data = form.data.copy()
        keep = question.carried and question.accepts(form.data.get("answer", ""))
        form.data["challenge"], form.data["answer"] = (
            question.token,
            form.data.get("answer", "") if keep else "",
        )
    else:
        question = challenge.new_challenge()
        form.initial["challenge"] = question.token
    context = {"form": form, "question": question.question, "contact": platform.current()}
    return render(request, "incidents/public_report.html", context, status=status)


def _accept_public(request, form):
    """Returns (report, status); on refusal the reason is added to the form."""
    data = form.cleaned_data
    if data.get("website"):  # the hidden honeypot field: only robots fill it
        form.add_error(None, _("The anti-spam check failed; please answer the new question."))
        return None, 400
    problem = challenge.check_answer(data["challenge"], data.get("answer"))
    if problem:
        form.add_error("answer", problem)
        return None, 400
    ip = client_ip(request) or "unknown"
    if not ratelimit.hit("public-report", ip, limit=settings.PUBLIC_REPORT_LIMIT, window_seconds=3600):
        form.add_error(
            None, _("Too many reports from your address in the last hour; please try again later or call us.")
        )
        return None, 429
    try:
        return services.submit_report(actor=request.user, data=report_input_from_public(data)), 200
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, 400


def public_report_thanks(request):
    reference = request.session.get("public_report_ref")
    if not reference:
        return redirect("public_report")
    return render(request, "incidents/public_thanks.html", {"reference": reference})


def _act(request, pk: int, action, success: str, *, allowed, form_class=None, prepare=None):
    """Run one handling service from a POST; success goes back to the incident page with its message.

    `allowed(user, incident)` is checked before the form is read: someone who may not act gets 403
    whatever they sent, and learns nothing from validation errors (such as which system ids exist).
    A refusal re-shows the incident page with the reason and 400 (bad input) or 409 (wrong state).
    """
    incident = _incident_for(request.user, pk)
    access.require(allowed(request.user, incident))
    form = None
    if form_class is not None:
        form = form_class(request.POST, **({"incident": incident} if form_class is forms.TaskForm else {}))

    def call(data: dict):
        kwargs = prepare(data, incident) if prepare else dict(data)
        return action(actor=request.user, incident=incident, **kwargs)

    def refuse(status: int, error: str):
        messages.error(request, error or _("Please correct: %(e)s") % {"e": _errors(form)})
        if form is not None and error:
            form.add_error(None, error)  # also next to the form it refuses (the closing check shows it)
        fresh = _incident_for(request.user, pk)  # the service may have touched the one in hand
        return _workspace(request, fresh, status=status, refused=form)

    return actions.act(
        request,
        form=form,
        call=call,
        refuse=refuse,
        success=success,
        done=lambda _result: redirect("incidents:detail", pk=pk),
    )


def _errors(form) -> str:
    return "; ".join(
        f"{form.fields[f].label if f in form.fields else ''} {e}".strip()
        for f, errs in form.errors.items()
        for e in errs
    )


@login_required
@require_POST
def acknowledge(request, pk: int):
    return _act(request, pk, services.acknowledge, _("Receipt acknowledged."), allowed=is_coordinator_of)


@login_required
@require_POST
def classify(request, pk: int):
    return _act(
        request,
        pk,
        services.classify,
        _("Incident classified."),
        allowed=is_coordinator_of,
        form_class=forms.ClassifyForm,
    )


@login_required
@require_POST
def transition(request, pk: int):
    return _act(
        request,
        pk,
        services.change_status,
        _("Status changed."),
        allowed=can_handle,
        form_class=forms.TransitionForm,
    )


@login_required
@require_POST
def add_entry(request, pk: int):
    return _act(
        request,
        pk,
        services.add_entry,
        _("Entry added to the timeline."),
        allowed=can_add_entry,
        form_class=forms.EntryForm,
    )


@login_required
@require_POST
def add_task(request, pk: int):
    return _act(
        request,
        pk,
        services.add_task,
        _("Task added."),
        allowed=can_handle,
        form_class=forms.TaskForm,
    )


@login_required
@require_POST
def complete_task(request, pk: int, task: int):
    def action(*, actor, incident):
        return services.complete_task(actor=actor, task=_task_of(incident, task))

    return _act(request, pk, action, _("Task done."), allowed=_task_allowed(task))


@login_required
@require_POST
def cancel_task(request, pk: int, task: int):
    def action(*, actor, incident, reason):
        return services.cancel_task(actor=actor, task=_task_of(incident, task), reason=reason)

    return _act(
        request, pk, action, _("Task cancelled."), allowed=can_handle, form_class=forms.CancelTaskForm
    )


def _task_of(incident: Incident, pk: int) -> Task:
    task = Task.objects.filter(incident=incident, pk=pk).first()
    if task is None:
        raise Http404
    return task


def _task_allowed(pk: int):
    return lambda user, incident: can_complete_task(user, _task_of(incident, pk))


@login_required
@require_POST
def close(request, pk: int):
    """The closing check: open tasks and requests are settled as decided, then the incident closes."""
    return _act(
        request,
        pk,
        closing.close_incident,
        _("Incident closed."),
        allowed=can_handle,
        form_class=forms.CloseForm,
    )


@login_required
@require_POST
def closing_report(request, pk: int):
    return _act(
        request,
        pk,
        services.submit_closing_report,
        _("Closing report (form 04) saved."),
        allowed=can_handle,
        form_class=forms.ClosingReportForm,
    )


@login_required
@require_POST
def merge(request, pk: int):
    def prepare(data, incident):
        duplicate = (
            Incident.objects.visible_to(request.user).filter(reference=data["duplicate"].strip()).first()
        )
        if duplicate is None:
            raise Http404
        return {"duplicate": duplicate, "note": data["note"]}

    def action(*, actor, incident, duplicate, note):
        return services.merge_incidents(actor=actor, target=incident, duplicate=duplicate, note=note)

    return _act(
        request,
        pk,
        action,
        _("Incidents merged."),
        allowed=is_coordinator_of,
        form_class=forms.MergeForm,
        prepare=prepare,
    )


@login_required
@require_POST
def request_support(request, pk: int):
    return _act(
        request,
        pk,
        services.request_national_support,
        _("The national coordinator was asked for support."),
        allowed=is_coordinator_of,
        form_class=forms.SupportRequestForm,
    )


@login_required
@require_POST
def take_handling(request, pk: int):
    return _act(
        request,
        pk,
        services.assign_handler,
        _("You are now a handler of this incident."),
        allowed=is_coordinator_of,
    )


@login_required
@require_POST
def bulk(request):
    """Acknowledge or assign the ticked incidents; each row is checked on its own (issue 15)."""
    access.require(is_coordinator(request.user))
    form = forms.BulkForm(request.POST)
    if not form.is_valid():
        return _bulk_refused(request, _("Please correct: %(e)s") % {"e": _errors(form)})
    data = form.cleaned_data
    rows = list(Incident.objects.visible_to(request.user).filter(pk__in=data["ids"]).order_by("pk"))
    try:
        outcomes = bulk_actions.run_bulk(
            actor=request.user, incidents=rows, action=data["action"], handler=data.get("handler")
        )
    except ValidationError as exc:
        return _bulk_refused(request, " ".join(exc.messages))
    done = [o.incident.reference for o in outcomes if o.done]
    if done:
        messages.success(request, _("Done for %(refs)s.") % {"refs": ", ".join(done)})
    for o in outcomes:
        if not o.done:
            messages.warning(request, f"{o.incident.reference}: {o.reason}")
    return redirect("incidents:list")


def _bulk_refused(request, error: str):
    """Bad input: the list again with the reason, 400, nothing changed."""
    messages.error(request, error)
    response = incident_list(request)
    response.status_code = 400
    return response
