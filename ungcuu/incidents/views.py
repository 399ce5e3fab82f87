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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ungcuu.core import actions, challenge, pagination, platform, ratelimit
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
        searching = filters.is_valid() and bool(filters.cleaned_data.get("q"))
        cap = pagination.SEARCH_COUNT_CAP if searching else None
        page = paginate_keyset(request, incidents, "reported_at", per_page=per_page, cap=cap)
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


def _refused(request, incident: Incident, status: int, error: str = "", refused=None):
    """A refused handling action: the reason flashed (and beside the form it refuses: the closing check
    shows it), then the workspace again with 400 (bad input) or 409 (wrong state) and the typed input."""
    messages.error(request, error or _("Please correct: %(e)s") % {"e": _errors(refused)})
    if refused is not None and error:
        refused.add_error(None, error)
    fresh = _incident_for(request.user, incident.pk)  # the service may have touched the one in hand
    return _workspace(request, fresh, status=status, refused=refused)


def _errors(form) -> str:
    return "; ".join(
        f"{form.fields[f].label if f in form.fields else ''} {e}".strip()
        for f, errs in form.errors.items()
        for e in errs
    )


def _back_to(request, incident: Incident, _result):
    return redirect("incidents:detail", pk=incident.pk)


# The workspace's handling buttons. `allowed` is checked before the form is read: someone who may not act
# gets 403 whatever they sent, and learns nothing from validation errors (such as which system ids exist).
_on_incident = actions.ObjectActions(
    fetch=_incident_for, page=_refused, target="incident", done=_back_to, form_name="refused"
)


def _merge(*, actor, incident: Incident, duplicate: str, note: str) -> Incident:
    """The merge form names the duplicate by its reference: one the actor cannot see is missing (404)."""
    found = Incident.objects.visible_to(actor).filter(reference=duplicate.strip()).first()
    if found is None:
        raise Http404
    return services.merge_incidents(actor=actor, target=incident, duplicate=found, note=note)


acknowledge = _on_incident.view(
    services.acknowledge, gettext_lazy("Receipt acknowledged."), allowed=is_coordinator_of
)
classify = _on_incident.view(
    services.classify,
    gettext_lazy("Incident classified."),
    allowed=is_coordinator_of,
    form=forms.ClassifyForm,
)
transition = _on_incident.view(
    services.change_status, gettext_lazy("Status changed."), allowed=can_handle, form=forms.TransitionForm
)
add_entry = _on_incident.view(
    services.add_entry,
    gettext_lazy("Entry added to the timeline."),
    allowed=can_add_entry,
    form=forms.EntryForm,
)
add_task = _on_incident.view(
    services.add_task,
    gettext_lazy("Task added."),
    allowed=can_handle,
    form=forms.TaskForm,
    form_kwargs=lambda incident: {"incident": incident},
)
# The closing check: open tasks and requests are settled as decided, then the incident closes.
close = _on_incident.view(
    closing.close_incident, gettext_lazy("Incident closed."), allowed=can_handle, form=forms.CloseForm
)
closing_report = _on_incident.view(
    services.submit_closing_report,
    gettext_lazy("Closing report (form 04) saved."),
    allowed=can_handle,
    form=forms.ClosingReportForm,
)
merge = _on_incident.view(
    _merge, gettext_lazy("Incidents merged."), allowed=is_coordinator_of, form=forms.MergeForm
)
request_support = _on_incident.view(
    services.request_national_support,
    gettext_lazy("The national coordinator was asked for support."),
    allowed=is_coordinator_of,
    form=forms.SupportRequestForm,
)
take_handling = _on_incident.view(
    services.assign_handler,
    gettext_lazy("You are now a handler of this incident."),
    allowed=is_coordinator_of,
)


def _task_for(user, pk: int, task: int) -> Task:
    """A task of an incident the user sees; one of another incident is missing (404)."""
    incident = _incident_for(user, pk)
    found = Task.objects.filter(incident=incident, pk=task).first()
    if found is None:
        raise Http404
    found.incident = incident  # the workspace shown again after a refusal reads it
    return found


# A task's buttons answer on its incident's workspace, like the incident's own.
_on_task = actions.ObjectActions(
    fetch=_task_for,
    page=lambda request, task, status, **extra: _refused(request, task.incident, status, **extra),
    target="task",
    done=lambda request, task, result: _back_to(request, task.incident, result),
    form_name="refused",
)
complete_task = _on_task.view(services.complete_task, gettext_lazy("Task done."), allowed=can_complete_task)
cancel_task = _on_task.view(
    services.cancel_task,
    gettext_lazy("Task cancelled."),
    allowed=lambda user, task: can_handle(user, task.incident),
    form=forms.CancelTaskForm,
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
