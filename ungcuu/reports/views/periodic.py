"""Periodic reports inside the platform: a unit drafts and submits, the specialised unit accepts or returns
and consolidates; and the small form that records an incident's damage for form 05."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.core import actions
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.core.periods import Period
from ungcuu.incidents.models import Incident
from ungcuu.organizations import access
from ungcuu.reports import documents, sections, services
from ungcuu.reports.access import (
    can_decide,
    can_draft,
    can_record_damage,
    can_submit,
    reportable_organizations,
    sees_province,
)
from ungcuu.reports.forms import (
    DamageForm,
    DecisionForm,
    PeriodForm,
    ReportTextForm,
    ReturnForm,
    StartReportForm,
)
from ungcuu.reports.models import IncidentDamage, PeriodicReport, Status
from ungcuu.reports.responses import document_response

_Reports = PeriodicReport.objects.select_related("organization", "submitted_by", "decided_by")


def _report_for(user, pk: int) -> PeriodicReport:
    return access.get_visible_or_404(_Reports, user, pk=pk)


@login_required
def periodic_list(request):
    reports = PeriodicReport.objects.visible_to(request.user).select_related("organization")
    status = request.GET.get("status", "")
    if status in Status.values:
        reports = reports.filter(status=status)
    context = {
        "page": paginate(request, reports),
        "status": status,
        "statuses": Status.choices,
        "can_start": _may_start(request.user),
    }
    return render_page_or_fragment(
        request, "reports/periodic_list.html", "reports/_periodic_table.html", context
    )


def _may_start(user) -> bool:
    return any(can_draft(user, org) for org in reportable_organizations(user).filter(memberships__user=user))


@login_required
def periodic_create(request):
    user = request.user
    access.require(_may_start(user))
    form = StartReportForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.require(can_draft(user, data["organization"]))  # seen but not its own: 403
        try:
            report = services.start_periodic_report(actor=user, **data)
        except ValidationError as exc:
            actions.add_errors(form, exc)
        else:
            messages.success(request, _("Draft started. Write the unit's assessment, then submit it."))
            return redirect("reports:periodic_edit", pk=report.pk)
    status = 400 if form.errors else 200
    return render(request, "reports/periodic_start.html", {"form": form}, status=status)


def _detail_page(request, report: PeriodicReport, **extra) -> dict:
    user = request.user
    return {
        "report": report,
        "events": report.events.select_related("actor"),
        "may_edit": report.is_editable and can_draft(user, report.organization),
        "may_submit": report.can_transition_to(Status.SUBMITTED) and can_submit(user, report),
        "may_decide": report.status == Status.SUBMITTED and can_decide(user, report),
        "decision_form": DecisionForm(),
        "return_form": ReturnForm(),
        "title": str(report),
        **extra,
    }


@login_required
def periodic_detail(request, pk: int):
    report = _report_for(request.user, pk)
    document = documents.periodic_document(report)
    return document_response(request, document, _detail_page(request, report), "reports/periodic_detail.html")


def _render_detail(request, report: PeriodicReport, status: int, **extra):
    document = documents.periodic_document(report)
    response = document_response(
        request, document, _detail_page(request, report, **extra), "reports/periodic_detail.html"
    )
    response.status_code = status
    return response


@login_required
def periodic_edit(request, pk: int):
    report = _report_for(request.user, pk)
    access.require(can_draft(request.user, report.organization))
    form = ReportTextForm(request.POST or None, instance=PeriodicReport.objects.get(pk=report.pk))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, status = actions.run(
            form, lambda: services.update_periodic_report(actor=request.user, report=report, **data)
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(report)
    elif not report.is_editable:
        # A GET has an unbound form, which cannot carry an error (add_error on it was a 500).
        messages.error(request, _("A submitted report can no longer be changed."))
        status = 409
    status = 400 if status == 200 and form.errors else status
    return render(request, "reports/periodic_edit.html", {"form": form, "report": report}, status=status)


def _next_or(request, report: PeriodicReport):
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else report


# The report page's buttons: 404 hidden, 403 not allowed, 400 bad input, 409 wrong state; success goes
# back where the button was (a safe `next`) or to the report.
_buttons = actions.ObjectActions(
    fetch=_report_for,
    page=_render_detail,
    target="report",
    done=lambda request, report, _result: redirect(_next_or(request, report)),
    forms={DecisionForm: "decision_form", ReturnForm: "return_form"},
)
periodic_submit = _buttons.view(
    services.submit_periodic_report,
    gettext_lazy("Report submitted to the specialised unit."),
    allowed=can_submit,
)
periodic_accept = _buttons.view(
    services.accept_periodic_report, gettext_lazy("Report accepted."), allowed=can_decide, form=DecisionForm
)
periodic_return = _buttons.view(
    services.return_periodic_report,
    gettext_lazy("Report returned to the unit."),
    allowed=can_decide,
    form=ReturnForm,
)


@login_required
def consolidation(request):
    """The specialised unit's view of a period: who reported, what they sent, and the province's documents."""
    access.require(sees_province(request.user))
    form = PeriodForm(
        request.GET or None, default=Period.last_complete_half(), spans=sections.CONSOLIDATION_SPANS
    )
    figures = sections.consolidation(form.period())
    period, form05 = figures.period, figures.form05_period
    context = {
        "form": form,
        "period": period,
        "units": figures.units,
        "form05s": figures.form05s,
        "query": f"year={period.start.year}&span={period.span}",
        "form05_query": f"year={form05.end.year}&span={form05.span}",  # TT20 Art. 6 periods
    }
    return render(request, "reports/consolidation.html", context)


@login_required
def damage(request, incident_pk: int):
    """Form 05's estimated damage and foreign help for one incident (kept in this app, see models)."""
    incident = access.get_visible_or_404(
        Incident.objects.select_related("operator"), request.user, pk=incident_pk
    )
    access.require(can_record_damage(request.user, incident))
    instance = IncidentDamage.objects.filter(incident=incident).first() or IncidentDamage(incident=incident)
    form = DamageForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_damage(actor=request.user, incident=incident, **form.cleaned_data)
        except ValidationError as exc:
            actions.add_errors(form, exc)
        else:
            messages.success(request, _("Damage recorded for %(ref)s.") % {"ref": incident.reference})
            target = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return redirect(target)
            return redirect("incidents:detail", pk=incident.pk)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "incident": incident,
        "next": request.GET.get("next") or request.POST.get("next", ""),
    }
    return render(request, "reports/damage_form.html", context, status=status)
