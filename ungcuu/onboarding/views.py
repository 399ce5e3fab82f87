"""Onboarding pages: import with a dry-run preview, apply, the template and the export (coordinators)."""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ungcuu.audit.requests import request_meta
from ungcuu.core import platform
from ungcuu.onboarding import invites, services, setup
from ungcuu.onboarding.columns import SHEETS
from ungcuu.onboarding.export import csv_bytes, workbook_bytes
from ungcuu.onboarding.forms import ImportApplyForm, ImportUploadForm, InviteForm
from ungcuu.onboarding.services import Mode
from ungcuu.onboarding.setup_forms import SetupForms
from ungcuu.onboarding.sheets import FileRefused
from ungcuu.organizations import access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SESSION_KEY = "onboarding_upload"
_FOLDER = "onboarding"
KEEP_UNAPPLIED = datetime.timedelta(days=1)
PREVIEW_ROWS = 500  # rows of each outcome shown; the counts cover the whole file


@login_required
def import_start(request):
    """Upload, then the dry run's preview; the file waits (for this session only) to be applied."""
    access.require(access.is_coordinator(request.user))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        context = {"form": form, **_invite_context()}
        return render(request, "onboarding/import.html", context, status=400 if form.errors else 200)
    upload = form.cleaned_data["file"]
    try:
        report = services.run_import(
            actor=request.user, tables=services.load_tables(upload), mode=Mode.DRY_RUN
        )
    except FileRefused as exc:
        context = {"form": form, "refusal": str(exc), **_invite_context()}
        return render(request, "onboarding/import.html", context, status=400)
    token = _keep(request, upload)
    return render(request, "onboarding/preview.html", _preview_context(report, upload.name, token))


@login_required
@require_POST
def import_apply(request):
    access.require(access.is_coordinator(request.user))
    form = ImportApplyForm(request.POST)
    kept = request.session.get(_SESSION_KEY) or {}
    if not form.is_valid() or kept.get("token") != form.cleaned_data["token"]:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("onboarding:import")
    with default_storage.open(kept["path"], "rb") as handle:
        handle.name = kept["name"]
        report = services.run_import(
            actor=request.user, tables=services.load_tables(handle), mode=form.cleaned_data["mode"]
        )
    if not report.applied and report.has_errors:
        context = _preview_context(report, kept["name"], kept["token"])
        context["refused_apply"] = True
        return render(request, "onboarding/preview.html", context, status=400)
    _forget(request)
    messages.success(
        request,
        _("Import applied: %(new)s new, %(update)s updated, %(unchanged)s unchanged, %(error)s skipped.")
        % report.counts,
    )
    return redirect("onboarding:import")


@login_required
@require_POST
def invite(request):
    """Accounts for the imported focal points, each with a one-time link to set a password."""
    access.require(access.is_coordinator(request.user))
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the role the focal points get."))
        return redirect("onboarding:import")
    report = invites.invite_focal_points(actor=request.user, role=form.cleaned_data["role"])
    messages.success(
        request,
        _("%(n)s invitations sent; %(m)s addresses skipped (shared by two focal points).")
        % {"n": len(report.invited), "m": len(report.skipped)},
    )
    return redirect("onboarding:import")


def _invite_context() -> dict:
    return {"invite_form": InviteForm(), "uninvited": invites.uninvited_focal_points().count()}


@login_required
@require_GET
def template_download(request):
    access.require(access.is_coordinator(request.user))
    return _file(workbook_bytes(with_data=False), "mau-nhap-danh-muc.xlsx", XLSX)


@login_required
@require_GET
def export(request):
    """The registry in the template's layout: the whole workbook, or one sheet as CSV."""
    access.require(access.is_coordinator(request.user))
    stamp = timezone.localdate().isoformat()
    sheet = next((s for s in SHEETS if s.kind == request.GET.get("sheet")), None)
    if sheet is not None:
        return _file(csv_bytes(sheet), f"danh-muc-{sheet.kind}-{stamp}.csv", "text/csv; charset=utf-8")
    return _file(workbook_bytes(with_data=True), f"danh-muc-{stamp}.xlsx", XLSX)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _keep(request, upload) -> str:
    _forget(request)
    _sweep()
    token = secrets.token_urlsafe(16)
    suffix = Path(upload.name).suffix.lower()
    upload.seek(0)
    path = default_storage.save(f"{_FOLDER}/{token}{suffix}", upload)
    request.session[_SESSION_KEY] = {"token": token, "path": path, "name": upload.name}
    return token


def _sweep() -> None:
    """Previews nobody applied: their files go after a day (each session keeps only its latest)."""
    if not default_storage.exists(_FOLDER):
        return
    cutoff = timezone.now() - KEEP_UNAPPLIED
    for name in default_storage.listdir(_FOLDER)[1]:
        if default_storage.get_modified_time(f"{_FOLDER}/{name}") < cutoff:
            default_storage.delete(f"{_FOLDER}/{name}")


def _forget(request) -> None:
    kept = request.session.pop(_SESSION_KEY, None)
    if kept and default_storage.exists(kept["path"]):
        default_storage.delete(kept["path"])


def _preview_context(report: services.ImportReport, name: str, token: str) -> dict:
    by_outcome = {o: [r for r in report.rows if r.outcome == o] for o in services.Outcome.values}
    errors = by_outcome["error"][:PREVIEW_ROWS]
    changes = [*by_outcome["update"][:PREVIEW_ROWS], *by_outcome["new"][:PREVIEW_ROWS]]
    return {
        "report": report,
        "counts": report.counts,
        "errors": errors,
        "changes": changes,
        "hidden": report.count("error") + report.changes - len(errors) - len(changes),
        "name": name,
        "token": token,
        "modes": Mode,
    }


@login_required
def setup_page(request):
    """First-run set-up, and afterwards the province's settings page: superusers only (403 otherwise)."""
    access.require(request.user.is_superuser)
    first_run = setup.setup_needed()
    forms_ = SetupForms(request.POST or None, initial=setup.current_input())
    if request.method == "POST" and forms_.is_valid():
        try:
            links = setup.save_setup(
                actor=request.user,
                data=forms_.setup_input(),
                coordinators=forms_.coordinator_input(),
                site=request.build_absolute_uri("/"),
                request_meta=request_meta(request),
            )
        except ValidationError as exc:
            forms_.add_errors(exc)
        else:
            messages.success(request, _("The settings are saved and apply from now on."))
            if not links:
                return redirect("onboarding:setup")
            return render(request, "onboarding/setup_done.html", {"links": links})
    context = {
        "forms": forms_,
        "first_run": first_run,
        "password_stored": bool(platform.stored().email_host_password),
    }
    return render(request, "onboarding/setup.html", context, status=400 if request.method == "POST" else 200)
