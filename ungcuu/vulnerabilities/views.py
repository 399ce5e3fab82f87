"""Vulnerability pages: overview and upload, a scan's hosts, findings lists with exports, a finding's page."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from ungcuu.core import actions
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.vulnerabilities import exports, services
from ungcuu.vulnerabilities.access import (
    can_accept_risk,
    can_import,
    can_import_anywhere,
    can_triage,
    triageable_systems,
)
from ungcuu.vulnerabilities.filters import FindingFilterSet, filter_query
from ungcuu.vulnerabilities.forms import AssignHostForm, ScanUploadForm
from ungcuu.vulnerabilities.models import Finding, Scan, ScanHost, ScanResult
from ungcuu.vulnerabilities.presenters import DECISIONS, decision_form_kwargs, finding_context, severity_tiles
from ungcuu.vulnerabilities.severity import SEVERITY_ORDER, Severity
from ungcuu.vulnerabilities.uploads import ScanTooLarge, body_too_large, install_limit


@login_required
@require_safe
def index(request):
    user = request.user
    findings = Finding.objects.visible_to(user)
    context = {
        "form": ScanUploadForm(user=user) if can_import_anywhere(user) else None,
        "page": paginate(
            request, Scan.objects.visible_to(user).select_related("organization", "uploaded_by"), 10
        ),
        "tiles": severity_tiles(findings),
        "by_organization": _by_organization(findings),
    }
    return render(request, "vulnerabilities/index.html", context)


def _by_organization(findings):
    """Unresolved findings per responsible organization: the province picture for the coordinator."""
    today = timezone.localdate()
    counts = {s: Count("id", filter=Q(severity=s)) for s in ("critical", "high", "medium", "low")}
    return (
        findings.unresolved()
        .values("owner_organization", "owner_organization__name")
        .annotate(total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)), **counts)
        .order_by("-critical", "-high", "-total", "owner_organization__name")[:50]
    )


@csrf_exempt  # the body must not be read before the size limit is in place; csrf_protect runs below
@login_required
def scan_upload(request):
    if request.method == "POST" and body_too_large(request.META):
        # Answered from the announced length alone: a 200 MB body is never read.
        return _upload_page(request, ScanUploadForm(user=request.user), 413, ScanTooLarge())
    access.require(can_import_anywhere(request.user))
    # The counting handler goes in before csrf_protect reads the body for its token.
    handler = install_limit(request) if request.method == "POST" else None
    return _upload(request, handler)


@csrf_protect
def _upload(request, handler):
    form = ScanUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method != "POST":
        return _upload_page(request, form)
    if handler is not None and handler.exceeded:
        return _upload_page(request, ScanUploadForm(user=request.user), 413, ScanTooLarge())
    if not form.is_valid():
        return _upload_page(request, form, 400)
    data = form.cleaned_data
    try:
        scan = services.import_scan(
            actor=request.user,
            organization=data["organization"],
            uploaded_file=data["file"],
            tool=data["tool"] or None,
            is_full=data["is_full"],
        )
    except ScanTooLarge as exc:
        return _upload_page(request, form, 413, exc)
    except ValidationError as exc:
        return _upload_page(request, form, 400, exc)
    messages.success(request, _import_summary(scan))
    return redirect("vulnerabilities:scan", scan=scan.pk)


def _upload_page(request, form, status: int = 200, error: ValidationError | None = None):
    """The upload page; a refusal shows on the form, or above it when the body was never read."""
    refusal = error.messages if error is not None else []
    if refusal and form.is_bound:
        form.add_error(None, refusal)
        refusal = []
    return render(request, "vulnerabilities/upload.html", {"form": form, "refusal": refusal}, status=status)


def _import_summary(scan: Scan) -> str:
    return _(
        "Scan imported: %(hosts)s hosts (%(matched)s matched to systems), %(new)s new findings, "
        "%(fixed)s closed as fixed, %(reopened)s reopened."
    ) % {
        "hosts": scan.host_count,
        "matched": scan.matched_host_count,
        "new": scan.new_count,
        "fixed": scan.fixed_count,
        "reopened": scan.reopened_count,
    }


@login_required  # any method: the lookup answers first, 404 for what the user cannot see
def scan_detail(request, scan: int):
    scan_obj = access.get_visible_or_404(
        Scan.objects.select_related("organization", "uploaded_by"), request.user, pk=scan
    )
    return _scan_page(request, scan_obj)


def _scan_page(request, scan: Scan, bound: tuple[int, AssignHostForm] | None = None, status: int = 200):
    hosts = list(scan.hosts.select_related("system", "system__operator"))
    counts: dict[int, dict[str, int]] = {}
    for row in (
        ScanResult.objects.filter(host__scan=scan).values("host_id", "severity").annotate(n=Count("id"))
    ):
        counts.setdefault(row["host_id"], {})[row["severity"]] = row["n"]
    may_assign = can_import(request.user, scan.organization) and triageable_systems(request.user).exists()
    names = dict(InformationSystem.objects.visible_to(request.user).values_list("pk", "name"))
    for host in hosts:
        host.counts = counts.get(host.pk, {})
        host.candidate_names = [names[pk] for pk in host.candidates if pk in names]
        if may_assign and not host.system_id:
            form = bound[1] if bound and bound[0] == host.pk else None
            host.assign_form = form or AssignHostForm(user=request.user, auto_id=f"host{host.pk}_%s")
    context = {
        "scan": scan,
        "matched": [h for h in hosts if h.system_id],
        "unmatched": [h for h in hosts if not h.system_id],
        "severities": [(s.value, s.label) for s in SEVERITY_ORDER if s != Severity.NONE],
    }
    return render(request, "vulnerabilities/scan_detail.html", context, status=status)


@login_required
@require_POST
def host_assign(request, host: int):
    host_obj = access.get_visible_or_404(
        ScanHost.objects.select_related("scan__organization"), request.user, pk=host
    )
    access.require(can_import(request.user, host_obj.scan.organization))
    form = AssignHostForm(request.POST, user=request.user, auto_id=f"host{host_obj.pk}_%s")
    if form.is_valid():
        try:
            services.assign_host(actor=request.user, host=host_obj, system=form.cleaned_data["system"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("Host attached to “%(system)s”.") % {"system": form.cleaned_data["system"]}
            )
            return redirect("vulnerabilities:scan", scan=host_obj.scan_id)
    return _scan_page(request, host_obj.scan, bound=(host_obj.pk, form), status=400)


# --- findings lists --------------------------------------------------------------------------------


def _findings_page(request, findings, *, title: str, scope: dict):
    query = filter_query(request.GET)
    related = findings.select_related("system", "system__operator", "owner_user")
    filters, findings = filter_page(FindingFilterSet, request, related, data=query)
    export = query.copy()
    export.pop("page", None)
    export.update(scope)
    context = {
        "filters": filters,
        "page": paginate(request, findings),
        "title": title,
        "export_query": export.urlencode(),
        "today": timezone.localdate(),
    }
    return render_page_or_fragment(
        request, "vulnerabilities/findings.html", "vulnerabilities/_findings_table.html", context
    )


@login_required
@require_safe
def findings(request):
    title = _("Findings in the province") if request.user.sees_whole_province else _("Findings")
    return _findings_page(request, Finding.objects.visible_to(request.user), title=title, scope={})


@login_required  # any method: the lookup answers first, 404 for what the user cannot see
def organization_findings(request, org: int):
    organization = access.get_visible_or_404(Organization.objects, request.user, pk=org)
    visible = Finding.objects.visible_to(request.user).for_organization(organization)
    title = _("Findings: %(name)s") % {"name": organization}
    return _findings_page(request, visible, title=title, scope={"organization": str(organization.pk)})


@login_required  # any method: the lookup answers first, 404 for what the user cannot see
def system_findings(request, system: int):
    system_obj = access.get_visible_or_404(InformationSystem.objects, request.user, pk=system)
    visible = Finding.objects.visible_to(request.user).filter(system=system_obj)
    title = _("Findings: %(name)s") % {"name": system_obj}
    return _findings_page(request, visible, title=title, scope={"system": str(system_obj.pk)})


@login_required
@require_safe
def findings_export(request):
    visible = Finding.objects.visible_to(request.user).select_related(
        "system", "system__operator", "owner_user"
    )
    _filters, rows = filter_page(FindingFilterSet, request, visible)
    if request.GET.get("as") == "xlsx":
        return exports.xlsx_response(rows)
    return exports.csv_response(rows)


# --- one finding ------------------------------------------------------------------------------------


def _finding_for(user, pk: int) -> Finding:
    return access.get_visible_or_404(
        Finding.objects.select_related(
            "system__owner", "system__operator", "owner_user", "owner_organization"
        ),
        user,
        pk=pk,
    )


@login_required  # any method: the lookup answers first, 404 for what the user cannot see
def finding_detail(request, pk: int):
    finding = _finding_for(request.user, pk)
    return render(request, "vulnerabilities/finding_detail.html", finding_context(request.user, finding))


def _refused(request, finding: Finding, status: int, error: str = "", **bound):
    """A refused decision: the finding's page again with the form's input and errors (400/409)."""
    if error:
        messages.error(request, error)
    context = finding_context(request.user, finding, bound=bound)
    return render(request, "vulnerabilities/finding_detail.html", context, status=status)


def _on_system(check):
    """A finding's decisions are allowed by what the user may do on its system."""
    return lambda user, finding: check(user, finding.system)


# The finding's decisions; `forms` maps each form to its name on the page (and its field ids).
_decisions = actions.ObjectActions(
    fetch=_finding_for,
    page=_refused,
    target="finding",
    allowed=_on_system(can_triage),
    done=lambda request, finding, _result: redirect("vulnerabilities:finding", pk=finding.pk),
    forms={form: name for name, (form, _status) in DECISIONS.items()},
)
finding_accept_risk = _decisions.view(
    services.accept_risk,
    gettext_lazy("Risk accepted."),
    allowed=_on_system(can_accept_risk),
    form=DECISIONS["accept"][0],
    form_kwargs=partial(decision_form_kwargs, "accept"),
)
finding_false_positive = _decisions.view(
    services.mark_false_positive,
    gettext_lazy("Marked as a false positive."),
    form=DECISIONS["false_positive"][0],
    form_kwargs=partial(decision_form_kwargs, "false_positive"),
)
finding_reopen = _decisions.view(
    services.reopen_finding,
    gettext_lazy("Finding reopened."),
    form=DECISIONS["reopen"][0],
    form_kwargs=partial(decision_form_kwargs, "reopen"),
)
finding_owner = _decisions.view(
    services.set_finding_owner,
    gettext_lazy("Responsible person saved."),
    form=DECISIONS["owner"][0],
    form_kwargs=partial(decision_form_kwargs, "owner"),
)
