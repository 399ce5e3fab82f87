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

from ungcuu.core import actions, challenge, ratelimit
from ungcuu.core.clientip import client_ip
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate_keyset
from ungcuu.incidents import forms, services
from ungcuu.incidents.access import can_add_entry, can_handle, is_coordinator_of
from ungcuu.incidents.models import Incident, Task
from ungcuu.incidents.presenters import detail_context, report_input_from_form03, report_input_from_public
from ungcuu.organizations import access


def _incident_for(user, pk: int) -> Incident:
    related = ("system", "operator", "owner", "merged_into")
    return access.get_visible_or_404(Incident.objects.select_related(*related), user, pk=pk)


@login_required
def incident_list(request):
    filters = forms.IncidentFilterForm(request.GET or None, user=request.user)
    incidents = filters.apply(Incident.objects.visible_to(request.user)).for_list()
    context = {"filters": filters, "page": paginate_keyset(request, incidents, "reported_at")}
    return render_page_or_fragment(request, "incidents/list.html", "incidents/_table.html", context)


@login_required
def incident_detail(request, pk: int):
    incident = _incident_for(request.user, pk)
    return render(request, "incidents/detail.html", detail_context(request.user, incident))


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
    question = challenge.new_challenge()
    if form.is_bound:  # keep what the person typed, with a fresh question
        form.data = form.data.copy()
        form.data["challenge"], form.data["answer"] = question.token, ""
    else:
        form.initial["challenge"] = question.token
    context = {"form": form, "question": question.question}
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
        fresh = _incident_for(request.user, pk)  # the service may have touched the one in hand
        return render(request, "incidents/detail.html", detail_context(request.user, fresh), status=status)

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
    incident = _incident_for(request.user, pk)
    task_obj = Task.objects.filter(incident=incident, pk=task).first()
    if task_obj is None:
        raise Http404
    services.complete_task(actor=request.user, task=task_obj)
    messages.success(request, _("Task done."))
    return redirect("incidents:detail", pk=pk)


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
def take_handling(request, pk: int):
    return _act(
        request,
        pk,
        services.assign_handler,
        _("You are now a handler of this incident."),
        allowed=is_coordinator_of,
    )
