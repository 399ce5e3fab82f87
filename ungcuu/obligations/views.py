"""Obligations pages: the calendar, one occurrence with its actions, the compliance board, definitions,
and the iCalendar feed (its secret URL is the credential, so it needs no session)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ungcuu.audit.models import AuditEvent
from ungcuu.audit.requests import request_meta
from ungcuu.audit.services import record_event
from ungcuu.core import actions
from ungcuu.core.htmx import is_htmx, render_page_or_fragment
from ungcuu.obligations import compliance, ical, services
from ungcuu.obligations.access import can_edit_definitions, can_fulfil, can_waive
from ungcuu.obligations.forms import CalendarFilterForm, DefinitionForm, DoneForm, WaiveForm
from ungcuu.obligations.models import CalendarToken, EvidenceKind, ObligationDefinition, Occurrence
from ungcuu.obligations.presenters import Month, month_grid
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization

_Occurrences = Occurrence.objects.select_related(
    "definition", "organization", "system", "system__owner", "system__operator", "done_by", "waived_by"
)


def _occurrence_for(user, pk: int) -> Occurrence:
    return access.get_visible_or_404(_Occurrences, user, pk=pk)


# --- calendar -------------------------------------------------------------------------------------------


@login_required
def calendar_page(request):
    today = timezone.localdate()
    filters = CalendarFilterForm(
        request.GET or None,
        organizations=Organization.objects.visible_to(request.user).filter(is_active=True),
    )
    month = Month.parse(filters.value("month"), today=today)
    occurrences = _Occurrences.visible_to(request.user)
    if organization := filters.value("organization"):
        occurrences = occurrences.filter(organization=organization)
    weeks = month.weeks()
    shown = occurrences.filter(due_on__gte=weeks[0][0], due_on__lte=weeks[-1][-1])
    context = {
        "filters": filters,
        "month": month,
        "view": filters.value("view", "month"),
        "organization": organization,
        "weeks": month_grid(month, shown, today=today),
        "month_items": [o for o in shown if month.first <= o.due_on <= month.last],
        "overdue": occurrences.filter(status=Occurrence.Status.OVERDUE).count(),
        "has_feed": CalendarToken.objects.filter(user=request.user).exists(),
    }
    return render_page_or_fragment(
        request, "obligations/calendar.html", "obligations/_calendar.html", context
    )


# --- one occurrence -------------------------------------------------------------------------------------


def _detail_context(user, occurrence: Occurrence, **extra) -> dict:
    today = timezone.localdate()
    return {
        "occurrence": occurrence,
        "may_fulfil": occurrence.is_open and can_fulfil(user, occurrence),
        "may_waive": occurrence.is_open and can_waive(user, occurrence),
        "done_form": DoneForm(),
        "waive_form": WaiveForm(),
        "events": occurrence.events.select_related("actor"),
        "days_left": occurrence.days_left(today),
        "days_late": -occurrence.days_left(today),
        "evidence_labels": [EvidenceKind(k).label for k in occurrence.definition.evidence_kinds or []],
        **extra,
    }


def _render_detail(request, occurrence: Occurrence, status: int = 200, **extra):
    context = _detail_context(request.user, occurrence, **extra)
    return render_page_or_fragment(
        request, "obligations/detail.html", "obligations/_actions.html", context, status=status
    )


@login_required
def occurrence_detail(request, pk: int):
    occurrence = _occurrence_for(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _render_detail(request, occurrence)


@login_required
def occurrence_file(request, pk: int):
    """The uploaded proof, through the occurrence's tenancy gate."""
    occurrence = _occurrence_for(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not occurrence.evidence_file:
        raise Http404
    try:
        handle = occurrence.evidence_file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (restored database, pruned media)
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True)


def _done(request, occurrence: Occurrence, _result=None):
    if is_htmx(request):
        # The status, the days-late badge and the history change too: reload the whole page.
        response = HttpResponse()
        response["HX-Redirect"] = occurrence.get_absolute_url()
        return response
    return redirect(occurrence)


def _mark_done(*, actor, occurrence: Occurrence, done_on, file, link: str, note: str) -> Occurrence:
    """The page's "mark done": the kind of proof follows from what was given (a file, a link, a note)."""
    kind = EvidenceKind.given(file=file, link=link)
    return services.mark_occurrence_done(
        actor=actor, occurrence=occurrence, on=done_on, evidence_kind=kind, note=note, link=link, file=file
    )


# The occurrence's buttons: 404 hidden, 403 not allowed, 409 no longer open (before the form: whatever was
# sent), 400 bad input.
_buttons = actions.ObjectActions(
    fetch=_occurrence_for,
    page=_render_detail,
    target="occurrence",
    done=_done,
    forms={DoneForm: "done_form", WaiveForm: "waive_form"},
)
occurrence_done = _buttons.view(
    _mark_done, gettext_lazy("Marked done."), allowed=can_fulfil, form=DoneForm, ready=Occurrence.check_open
)
occurrence_waive = _buttons.view(
    services.waive_occurrence,
    gettext_lazy("Waived."),
    allowed=can_waive,
    form=WaiveForm,
    ready=Occurrence.check_open,
)


# --- compliance board -----------------------------------------------------------------------------------


@login_required
@require_GET
def compliance_board(request):
    """Per organization the user sees (all of them for the coordinator): the share met on time."""
    board = compliance.board(request.user, today=timezone.localdate())
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _download(*compliance.board_file(board.rows, export, now=board.today))
    context = {
        "rows": board.rows,
        "overdue_items": board.overdue,
        "today": board.today,
        "sees_all": access.is_coordinator(request.user),
    }
    return render(request, "obligations/compliance.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- definitions ----------------------------------------------------------------------------------------


@login_required
def definitions(request):
    """Everyone reads what is owed; the coordinator adds and edits (?edit=<code>, or ?edit=new)."""
    may_edit = can_edit_definitions(request.user)
    editing = request.POST.get("editing") or request.GET.get("edit")
    form = None
    if editing:
        access.require(may_edit)
        instance = None if editing == "new" else _definition_or_404(editing)
        form = DefinitionForm(request.POST or None, instance=instance)
        if request.method == "POST" and form.is_valid():
            definition = services.save_definition(actor=request.user, definition=form.save(commit=False))
            messages.success(request, _("Saved “%(title)s”.") % {"title": definition.title})
            return redirect("obligations:definitions")
    elif request.method == "POST":
        access.require(may_edit)
        return redirect("obligations:definitions")
    context = {
        "definitions": ObligationDefinition.objects.all(),
        "may_edit": may_edit,
        "form": form,
        "editing": editing,
    }
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "obligations/definitions.html", context, status=status)


def _definition_or_404(code: str) -> ObligationDefinition:
    try:
        return ObligationDefinition.objects.get(code=code)
    except ObligationDefinition.DoesNotExist as exc:
        raise Http404 from exc


# --- iCalendar feed -------------------------------------------------------------------------------------


@require_GET
def ical_feed(request, token: str):
    """No session: the secret in the URL is the credential, and a wrong one is simply not there."""
    user = ical.owner_of(token)
    if user is None:
        raise Http404
    body = ical.build_feed(user, absolute_url=request.build_absolute_uri)
    # An inline feed, not an attachment, so the audit middleware does not see it: recorded here.
    record_event(actor=user, action=AuditEvent.Action.DOWNLOAD, request_meta=request_meta(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="obligations.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def ical_regenerate(request):
    """The link is in this one response: only its digest is stored, so it cannot be shown again."""
    had_one = CalendarToken.objects.filter(user=request.user).exists()
    secret = ical.issue_token(actor=request.user)
    feed_url = request.build_absolute_uri(reverse("obligations:ical", args=[secret]))
    response = render(request, "obligations/feed_link.html", {"feed_url": feed_url, "replaced": had_one})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def ical_revoke(request):
    if ical.revoke_token(actor=request.user):
        messages.success(request, _("Your calendar link was revoked; it no longer works."))
    return redirect("obligations:index")
