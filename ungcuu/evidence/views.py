"""Evidence pages: an incident's evidence list, upload, custody log and the audited download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ungcuu.core.clientip import client_ip
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.evidence import services
from ungcuu.evidence.access import can_download, can_upload
from ungcuu.evidence.forms import CustodyNoteForm, EvidenceUploadForm
from ungcuu.evidence.models import Evidence
from ungcuu.evidence.presenters import incident_evidence_context
from ungcuu.evidence.responses import download_response
from ungcuu.incidents.models import Incident
from ungcuu.organizations import access


def _incident_for(user, pk: int) -> Incident:
    return access.get_visible_or_404(Incident.objects, user, pk=pk)


def _evidence_for(user, pk: int) -> Evidence:
    return access.get_visible_or_404(Evidence.objects.select_related("incident", "uploaded_by"), user, pk=pk)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


@login_required
def incident_evidence(request, incident_pk: int):
    incident = _incident_for(request.user, incident_pk)
    context = incident_evidence_context(request.user, incident)
    return render_page_or_fragment(request, "evidence/list.html", "evidence/_incident_evidence.html", context)


@login_required
def evidence_upload(request, incident_pk: int):
    incident = _incident_for(request.user, incident_pk)
    access.require(can_upload(request.user, incident))
    form = EvidenceUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        evidence, status = _submit(request, incident, form)
        if evidence is not None:
            messages.success(request, _("Evidence stored. SHA-256: %(hash)s") % {"hash": evidence.sha256})
            return redirect(_next_url(request) or reverse("evidence:detail", args=[evidence.pk]))
    context = {"incident": incident, "form": form, "next": _next_url(request)}
    return render(request, "evidence/upload.html", context, status=status)


def _submit(request, incident: Incident, form: EvidenceUploadForm) -> tuple[Evidence | None, int]:
    """Run the service; a refusal becomes a form error with 400, or 413 for a file over the limit."""
    if not form.is_valid():
        return None, 400
    data = form.cleaned_data
    try:
        evidence = services.add_evidence(
            actor=request.user,
            incident=incident,
            uploaded_file=data["file"],
            kind=data["kind"],
            classification=data["classification"],
            description=data["description"],
            password_hint=data["password_hint"],
            ip_address=client_ip(request),
        )
    except services.EvidenceTooLarge as exc:
        form.add_error(None, exc)
        return None, 413
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, 400
    return evidence, 201


def _detail(request, evidence: Evidence, custody_form: CustodyNoteForm | None = None, status: int = 200):
    may_download = can_download(request.user, evidence.incident)
    context = {
        "evidence": evidence,
        "incident": evidence.incident,
        "custody": evidence.custody.select_related("actor"),
        "can_download": may_download,
        "custody_form": custody_form or (CustodyNoteForm() if may_download else None),
    }
    return render(request, "evidence/detail.html", context, status=status)


@login_required
def evidence_detail(request, pk: int):
    return _detail(request, _evidence_for(request.user, pk))


@login_required
@require_POST
def custody_add(request, pk: int):
    evidence = _evidence_for(request.user, pk)
    access.require(can_download(request.user, evidence.incident))
    form = CustodyNoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_custody_note(
                actor=request.user, evidence=evidence, ip_address=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Custody entry recorded."))
            return redirect("evidence:detail", pk=evidence.pk)
    return _detail(request, evidence, custody_form=form, status=400)


@login_required
@require_GET  # a POST or HEAD must not count as (or hide) a disclosure
def evidence_download(request, pk: int):
    evidence = _evidence_for(request.user, pk)
    return download_response(actor=request.user, evidence=evidence, ip_address=client_ip(request))
