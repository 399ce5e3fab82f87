"""Federation pages (outbox with delivery state, inbox per province, the national incidents) and the one
machine endpoint peers post their signed messages to."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ungcuu.core import actions
from ungcuu.core.errors import Conflict
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.evidence.models import Evidence
from ungcuu.federation import access, form05, inbound, peers, services, statistics
from ungcuu.federation.errors import OutOfOrder, Refused
from ungcuu.federation.forms import AdvisoryForm, RequestForm, ShareEvidenceForm, StatisticsForm, StatusForm
from ungcuu.federation.models import (
    ForwardedIncident,
    InboxMessage,
    NationalIncident,
    NationalStatistics,
    OutboxMessage,
    Peer,
)
from ungcuu.incidents.models import Incident
from ungcuu.reports.documents import received_form05_document
from ungcuu.reports.responses import document_response


def _render(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"national": peers.is_national(), **context}, status=status)


def _render_page(request, page: str, fragment: str, context: dict):
    return render_page_or_fragment(request, page, fragment, {"national": peers.is_national(), **context})


def _gate(user) -> None:
    # Who may not see federation at all is told it is not there (404), like the intake mailbox.
    if not access.can_see_federation(user):
        raise Http404


@login_required
@require_GET
def index(request):
    _gate(request.user)
    if not peers.is_national():
        return redirect("federation:outbox")
    provinces = Peer.objects.annotate(
        incidents_count=Count("incidents", distinct=True), last_update=Max("incidents__updated_at")
    )
    context = {
        "provinces": provinces,
        "page": paginate(
            request, NationalIncident.objects.visible_to(request.user).select_related("province")
        ),
    }
    return _render(request, "federation/national_index.html", context)


@login_required
@require_GET
def outbox(request):
    _gate(request.user)
    rows = OutboxMessage.objects.select_related("incident")
    state = request.GET.get("state", "")
    if state in OutboxMessage.State.values:
        rows = rows.filter(state=state)
    context = {
        "page": paginate(request, rows, per_page=50),
        "state": state,
        "states": OutboxMessage.State.choices,
        "state_counts": _state_counts(),
        "peer": peers.national(),
        "statistics_form": StatisticsForm(),
        "can_retry": access.can_send_up(request.user) or access.can_send_down(request.user),
    }
    return _render_page(request, "federation/outbox.html", "federation/_outbox_table.html", context)


@login_required
@require_POST
def retry(request, pk: int):
    _gate(request.user)
    message = get_object_or_404(OutboxMessage, pk=pk)
    return actions.act(
        request,
        call=lambda data: services.retry_message(actor=request.user, message=message),
        refuse=lambda status, error: _outbox_refused(request, status, error),
        success=_("The message will be sent again now."),
        done=lambda result: redirect("federation:outbox"),
    )


def _state_counts() -> list[tuple[str, str, int]]:
    counts = dict(
        OutboxMessage.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in OutboxMessage.State.choices]


def _outbox_refused(request, status: int, error: str):
    messages.error(request, error)
    return redirect("federation:outbox")


@login_required
@require_POST
def send_statistics(request):
    _gate(request.user)
    access_ok = access.can_send_up(request.user)
    if not access_ok:
        raise Http404
    form = StatisticsForm(request.POST)
    return actions.act(
        request,
        form=form,
        call=lambda data: services.send_statistics(actor=request.user, period=data["period"]),
        refuse=lambda status, error: _outbox_with_form(request, form, status, error),
        success=_("The statistics are in the outbox for the national instance."),
        done=lambda result: redirect("federation:outbox"),
    )


def _outbox_with_form(request, form, status: int, error: str):
    context = {
        "page": paginate(request, OutboxMessage.objects.all(), per_page=50),
        "states": OutboxMessage.State.choices,
        "state_counts": _state_counts(),
        "peer": peers.national(),
        "statistics_form": form,
        "error": error,
        "can_retry": True,
    }
    return _render(request, "federation/outbox.html", context, status=status)


@login_required
@require_GET
def inbox(request, code: str = ""):
    """Messages received: on the national instance one province's, on a province the national's."""
    _gate(request.user)
    rows = InboxMessage.objects.all()
    province = None
    if peers.is_national():
        province = get_object_or_404(Peer, code=code) if code else None
        if province is not None:
            rows = rows.filter(sender=province.code)
    context = {
        "page": paginate(request, rows, per_page=50),
        "province": province,
        "provinces": Peer.objects.all() if peers.is_national() else [],
    }
    return _render_page(request, "federation/inbox.html", "federation/_inbox_table.html", context)


def _national_incident(user, pk: int) -> NationalIncident:
    return get_object_or_404(NationalIncident.objects.visible_to(user).select_related("province"), pk=pk)


@login_required
@require_GET
def incident(request, pk: int):
    if not peers.is_national():
        raise Http404
    found = _national_incident(request.user, pk)
    return _render_incident(request, found)


def _render_incident(request, found: NationalIncident, status: int = 200, **forms):
    context = {
        "incident": found,
        "updates": found.updates.all(),
        "sent": OutboxMessage.objects.filter(
            stream=f"incident:{found.reference}", destination=found.province.code
        ),
        "status_form": forms.get("status_form") or StatusForm(),
        "request_form": forms.get("request_form") or RequestForm(),
        "can_send": access.can_send_down(request.user),
        "error": forms.get("error", ""),
    }
    return _render(request, "federation/national_incident.html", context, status=status)


def _send_down(request, pk: int, form_class, name: str, service, success: str):
    if not peers.is_national():
        raise Http404
    found = _national_incident(request.user, pk)
    if not access.can_send_down(request.user):
        raise PermissionDenied
    form = form_class(request.POST)
    return actions.act(
        request,
        form=form,
        call=lambda data: service(actor=request.user, incident=found, **data),
        refuse=lambda status, error: _render_incident(request, found, status, **{name: form, "error": error}),
        success=success,
        done=lambda result: redirect("federation:incident", pk=found.pk),
    )


@login_required
@require_POST
def incident_status(request, pk: int):
    return _send_down(
        request, pk, StatusForm, "status_form", services.send_status, _("Status sent to the province.")
    )


@login_required
@require_POST
def incident_request(request, pk: int):
    return _send_down(
        request, pk, RequestForm, "request_form", services.send_request, _("Request sent to the province.")
    )


@login_required
def advisory(request):
    if not (peers.is_national() and access.can_see_federation(request.user)):
        raise Http404
    form = AdvisoryForm(request.POST or None)
    if request.method != "POST":
        return _render(request, "federation/advisory.html", {"form": form})
    return actions.act(
        request,
        form=form,
        call=lambda data: services.send_advisory(actor=request.user, **data),
        refuse=lambda status, error: _render(
            request, "federation/advisory.html", {"form": form, "error": error}, status=status
        ),
        success=_("The advisory is in the outbox for the chosen provinces."),
        done=lambda result: redirect("federation:outbox"),
    )


@login_required
def share_evidence(request, incident_pk: int):
    """The province's coordinator picks which files of an escalated incident go to the national instance."""
    if peers.is_national():
        raise Http404
    found = get_object_or_404(Incident.objects.visible_to(request.user), pk=incident_pk)
    _gate(request.user)
    forwarded = ForwardedIncident.objects.filter(incident=found).first()
    files = Evidence.objects.visible_to(request.user).filter(incident=found)
    shared = set(
        OutboxMessage.objects.filter(incident=found, kind="evidence").values_list(
            "payload__sha256", flat=True
        )
    )
    if request.method == "POST":
        evidence = get_object_or_404(files, pk=request.POST.get("evidence"))
        form = ShareEvidenceForm(request.POST)
        return actions.act(
            request,
            form=form,
            call=lambda data: services.share_evidence(actor=request.user, evidence=evidence, **data),
            refuse=lambda status, error: render(
                request,
                "federation/share.html",
                {"incident": found, "forwarded": forwarded, "files": files, "shared": shared, "error": error},
                status=status,
            ),
            success=_("The file is in the outbox for the national instance."),
            done=lambda result: redirect("federation:share", incident_pk=found.pk),
        )
    context = {"incident": found, "forwarded": forwarded, "files": files, "shared": shared}
    return _render(request, "federation/share.html", context)


# --- the national instance's form 05 pages ------------------------------------------------------------------


def _national_gate(user) -> None:
    # Only on the national instance, only for its staff: anyone else is told the pages are not there.
    if not (peers.is_national() and access.is_national_staff(user)):
        raise Http404


@login_required
@require_GET
def received(request):
    """Form 05 reports the provinces sent, per province and period, with each one's totals."""
    _national_gate(request.user)
    rows = NationalStatistics.objects.visible_to(request.user).select_related("province")
    periods = statistics.received_periods()
    period = request.GET.get("period", "")
    if period in {p.key for p in periods}:
        rows = rows.filter(period=period)
    page = paginate(request, rows.order_by("-period", "province__code"), per_page=50)
    lines = [(row, statistics.form05_of(row)) for row in page]
    context = {"page": page, "lines": lines, "periods": periods, "period": period}
    return _render(request, "federation/received.html", context)


@login_required
@require_GET
def received_form05(request, code: str, period: str):
    """One province's form 05 for one period, as received: the form's layout, and its files."""
    _national_gate(request.user)
    found = get_object_or_404(
        NationalStatistics.objects.visible_to(request.user).select_related("province"),
        province__code=code,
        period=period,
    )
    form = statistics.form05_of(found)
    page = {"statistics": found, "national": True}
    if form is None:
        return render(request, "federation/received_form05.html", page)
    document = received_form05_document(
        form,
        parent=found.figures.get("parent_body", ""),
        place=found.province.name,
        on=timezone.localtime(found.received_at).date(),
        code=found.province.code,
    )
    return document_response(request, document, page, template="federation/received_form05.html")


@login_required
@require_GET
def national_totals(request, period: str = ""):
    """Form 05 rows summed across the provinces for one period, with who sent what."""
    _national_gate(request.user)
    if not period:
        latest = statistics.received_periods()
        chosen = latest[0] if latest else form05.due_period(timezone.localdate())
        return redirect("federation:totals", period=chosen.key)
    parsed = statistics.period_of(period)
    if parsed is None or parsed.key != period:
        raise Http404
    context = {"totals": statistics.national_totals(parsed), "periods": statistics.received_periods()}
    return _render(request, "federation/national_totals.html", context)


# --- the machine endpoint -----------------------------------------------------------------------------------


def _answer(status: int, detail: str, **extra) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


@csrf_exempt
@require_POST
def receive(request):
    """A peer's signed message: 200 applied/duplicate, 400 malformed, 401 not signed by a known peer, 403
    not its own, 409 out of order (retry later), 413 too large, 422 refused by the domain's rules."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.FEDERATION_MAX_BYTES:
        return _answer(413, _("The message is too large."))
    body = request.read(settings.FEDERATION_MAX_BYTES + 1)
    peer = peers.verify(
        request.headers.get(peers.PEER_HEADER, ""),
        request.headers.get(peers.TIME_HEADER, ""),
        request.headers.get(peers.SIGNATURE_HEADER, ""),
        body,
    )
    if peer is None:
        return _answer(401, _("The message is not signed by a known peer, or its time is too far off."))
    with translation.override(settings.LANGUAGE_CODE):
        return _receive(peer, body)


def _receive(peer, body: bytes) -> JsonResponse:
    try:
        data = json.loads(body)
    except ValueError:
        return _answer(400, _("The body is not JSON."))
    try:
        envelope = inbound.parse(data)
        outcome = inbound.receive(peer, envelope)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"message": error.messages}
        return _answer(400, _("The message is malformed."), errors=errors)
    except Refused as error:
        return _answer(403, str(error))
    except OutOfOrder as error:
        return _answer(409, str(error), expected_seq=error.expected)
    except Conflict as error:
        return _answer(422, str(error))
    return JsonResponse({"status": outcome, "message_id": str(envelope.message_id)})
