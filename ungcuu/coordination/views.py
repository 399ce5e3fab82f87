"""Coordination pages: the requests list, one request with its actions, and sending a request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.coordination import services
from ungcuu.coordination.access import can_close, can_respond, can_send
from ungcuu.coordination.filters import RequestFilterSet
from ungcuu.coordination.forms import (
    AnswerForm,
    CancelForm,
    CloseForm,
    DeclineForm,
    SendRequestForm,
)
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.core import actions
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import is_htmx, render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.incidents.models import Incident
from ungcuu.organizations import access

_Requests = CoordinationRequest.objects.select_related(
    "incident", "recipient", "issuer", "issued_by", "acknowledged_by", "answered_by"
).prefetch_related("attachments")


def _request_for(user, pk: int) -> CoordinationRequest:
    return access.get_visible_or_404(_Requests, user, pk=pk)


@login_required
def request_list(request):
    filters, requests = filter_page(
        RequestFilterSet, request, CoordinationRequest.objects.visible_to(request.user)
    )
    context = {
        "filters": filters,
        "page": paginate(request, requests.select_related("incident", "recipient")),
        "sees_all": access.is_coordinator(request.user),
    }
    return render_page_or_fragment(request, "coordination/list.html", "coordination/_table.html", context)


def _detail_context(user, req: CoordinationRequest, **extra) -> dict:
    return {
        "req": req,
        # A recipient reads the request; whether it also sees the incident is the incident's own gate.
        "incident_visible": Incident.objects.visible_to(user).filter(pk=req.incident_id).exists(),
        "actions": services.available_actions(user, req),
        "answer_form": AnswerForm(),
        "decline_form": DeclineForm(),
        "close_form": CloseForm(),
        "cancel_form": CancelForm(),
        **extra,
    }


def _render_detail(request, req: CoordinationRequest, status: int = 200, **extra):
    context = _detail_context(request.user, req, **extra)
    return render_page_or_fragment(
        request, "coordination/detail.html", "coordination/_actions.html", context, status=status
    )


@login_required
def request_detail(request, pk: int):
    return _render_detail(request, _request_for(request.user, pk))


def _done(request, req: CoordinationRequest, _result):
    """In place (htmx): the request's actions again; otherwise back to the request's page."""
    if is_htmx(request):
        return _render_detail(request, _request_for(request.user, req.pk))
    return redirect(req)


def _page(request, req: CoordinationRequest, status: int, **extra):
    return _render_detail(request, req, status, **extra)


# The request page's buttons: 404 hidden, 403 not allowed, 400 bad input, 409 wrong state; answered in
# place for htmx (no flash: the fragment shows the new state).
_buttons = actions.ObjectActions(
    fetch=_request_for,
    page=_page,
    target="request",
    done=_done,
    forms={
        AnswerForm: "answer_form",
        DeclineForm: "decline_form",
        CloseForm: "close_form",
        CancelForm: "cancel_form",
    },
    quiet_in_place=True,
)
request_acknowledge = _buttons.view(
    services.acknowledge_request, gettext_lazy("Receipt acknowledged."), allowed=can_respond
)
request_answer = _buttons.view(
    services.answer_request, gettext_lazy("Answer sent."), allowed=can_respond, form=AnswerForm
)
request_decline = _buttons.view(
    services.decline_request, gettext_lazy("Request declined."), allowed=can_respond, form=DeclineForm
)
request_complete = _buttons.view(
    services.complete_request, gettext_lazy("Request completed."), allowed=can_close, form=CloseForm
)
request_cancel = _buttons.view(
    services.cancel_request, gettext_lazy("Request cancelled."), allowed=can_close, form=CancelForm
)


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """A file of the answer, for whoever sees the request; audited as a download (audit middleware).

    Hidden first (404), then GET only (405): a POST or HEAD must not count as (or hide) a disclosure, and
    must not tell an outsider that the request exists."""
    req = _request_for(request.user, pk)
    attachment = get_object_or_404(req.attachments, pk=attachment_pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # Always opaque bytes as an attachment: a browser must never render or sniff what an ISP sent.
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def request_create(request, incident_pk: int):
    """The coordinator sends a request about an incident; GET (or HTMX on a kind change) shows the form."""
    incident = access.get_visible_or_404(Incident.objects.all(), request.user, pk=incident_pk)
    access.require(can_send(request.user))
    if request.method != "POST":
        context = {"form": SendRequestForm.refreshed(request.GET), "incident": incident}
        return render_page_or_fragment(
            request, "coordination/form.html", "coordination/_send_form.html", context
        )
    form = SendRequestForm(request.POST)
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        recipients = [data.pop("recipient"), *data.pop("also_to")]
        sent, status = actions.run(
            form,
            lambda: services.send_requests(
                actor=request.user, incident=incident, recipients=recipients, **data
            ),
        )
        if sent:
            refs = ", ".join(r.reference for r in sent)
            messages.success(request, _("Request %(ref)s sent.") % {"ref": refs})
            # Several requests: back to the incident's workspace, where they are listed side by side.
            return redirect(sent[0]) if len(sent) == 1 else redirect("incidents:detail", pk=incident.pk)
    return render(request, "coordination/form.html", {"form": form, "incident": incident}, status=status)
