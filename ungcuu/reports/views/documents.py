"""Document pages: pick a period and a scope, preview in the browser, download PDF, DOCX or XLSX.

Reading a document is reading the data it is built from, so each page goes through the tenancy gate of
what it describes: the organization (forms 01, 02, 05, unit report), the incident (forms 03, 04) or the
province (province report, bulletin: coordinators and the national coordinator only).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ungcuu.core.periods import Period
from ungcuu.incidents.models import Incident, Status
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.reports import documents
from ungcuu.reports.access import (
    Scope,
    can_draft,
    can_refresh_figures,
    reportable_organizations,
    scope_for,
    sees_province,
)
from ungcuu.reports.forms import FORM05_SPANS, HALVES_AND_YEARS, PeriodForm, ScopeForm
from ungcuu.reports.models import PeriodicReport
from ungcuu.reports.presenters import damage_rows
from ungcuu.reports.responses import attachment, document_response
from ungcuu.reports.statistics import (
    CHART_ALTS,
    EXPORTS,
    build_statistics,
    default_period,
    statistics_charts,
    statistics_file,
)


@login_required
def index(request):
    user = request.user
    province = sees_province(user)
    own = reportable_organizations(user)
    profiles = own.filter(is_network_member=True) if province else own
    context = {
        "sees_province": province,
        "profiles": profiles.order_by("name")[:60],
        "can_start": any(can_draft(user, org) for org in own.filter(memberships__user=user)),
        "reports": PeriodicReport.objects.visible_to(user).select_related("organization")[:10],
        "incidents": Incident.objects.visible_to(user)
        .select_related("operator")
        .order_by("-reported_at")[:10],
        "closed": Status.CLOSED,
        "last_half": Period.last_complete_half(),
        "last_quarter": Period.last_complete_quarter(),
    }
    return render(request, "reports/index.html", context)


def _refreshing(request, scope: Scope) -> bool:
    """A POST to a figures page asks to count them again now ("Refresh figures"; 403 for who may not)."""
    if request.method != "POST":
        return False
    access.require(can_refresh_figures(request.user, scope))
    return True


def _figures_page(request, scope: Scope, fresh: bool, document, page: dict):
    """After a refresh, back to the page (GET); else the document with its figures' time and the button."""
    if fresh:
        return redirect(request.get_full_path())
    page["may_refresh"] = can_refresh_figures(request.user, scope)
    return document_response(request, document, page)


def _scoped(request, default: Period, spans: list[str] | None = None):
    """The period and scope asked for: an organization the user sees, or the province (403 otherwise)."""
    form = ScopeForm(request.GET or None, user=request.user, default=default, spans=spans)
    return form, scope_for(request.user, form.chosen_organization()), form.period()


@login_required
def form05(request):
    # TT20 Art. 6: the half-year report (due 20 June) or the annual one (due 15 December), with their
    # cut-offs; the period offered is the one due next, as the obligation's calendar shows it.
    form, scope, period = _scoped(request, Period.reporting_due_next(), FORM05_SPANS)
    fresh = _refreshing(request, scope)
    document = documents.form05_document(scope, period, fresh=fresh)
    page = {
        "form": form,
        "title": _("Form 05: half-year or annual summary to the national coordinator"),
        "damages": damage_rows(request.user, scope, period) if "download" not in request.GET else [],
    }
    return _figures_page(request, scope, fresh, document, page)


@login_required
def unit_report(request):
    form, scope, period = _scoped(request, Period.last_complete_half(), HALVES_AND_YEARS)
    fresh = _refreshing(request, scope)
    document = documents.unit_document(scope, period, fresh=fresh)
    page = {"form": form, "title": _("A unit's 6-month or annual report (live figures)")}
    return _figures_page(request, scope, fresh, document, page)


@login_required
def province_report(request):
    access.require(sees_province(request.user))
    form = PeriodForm(request.GET or None, default=Period.last_complete_half())
    fresh = _refreshing(request, Scope.province())
    document = documents.province_document(form.period(), fresh=fresh)
    page = {"form": form, "title": _("The province's consolidated report")}
    return _figures_page(request, Scope.province(), fresh, document, page)


@login_required
def bulletin(request):
    access.require(sees_province(request.user))
    form = PeriodForm(request.GET or None, default=Period.last_complete_quarter())
    document = documents.bulletin_document(form.period())
    return document_response(request, document, {"form": form, "title": _("Quarterly bulletin")})


def _profile(request, org_pk: int, form: str):
    organization = access.get_visible_or_404(Organization.objects.all(), request.user, pk=org_pk)
    document = documents.profile_document(organization, form)
    title = _("Form 01: network member profile") if form == "01" else _("Form 02: membership application")
    return document_response(request, document, {"title": title, "organization": organization})


@login_required
def form01(request, org_pk: int):
    return _profile(request, org_pk, "01")


@login_required
def form02(request, org_pk: int):
    return _profile(request, org_pk, "02")


def _incident(request, incident_pk: int) -> Incident:
    queryset = Incident.objects.select_related("operator", "owner", "system")
    return access.get_visible_or_404(queryset, request.user, pk=incident_pk)


@login_required
def form03(request, incident_pk: int):
    incident = _incident(request, incident_pk)
    document = documents.form03_document(incident)
    return document_response(request, document, {"title": _("Form 03: initial report"), "incident": incident})


@login_required
def form04(request, incident_pk: int):
    incident = _incident(request, incident_pk)
    document = documents.form04_document(incident)
    if document is None:  # closing requires form 04; until then there is nothing to print
        return render(request, "reports/form04_missing.html", {"incident": incident})
    return document_response(request, document, {"title": _("Form 04: closing report"), "incident": incident})


@login_required
def statistics(request):
    form, scope, period = _scoped(request, default_period())
    fresh = _refreshing(request, scope)
    stats = build_statistics(scope=scope, period=period, user=request.user, fresh=fresh)
    if fresh:
        return redirect(request.get_full_path())
    export = request.GET.get("export", "")
    if export in EXPORTS:
        return attachment(*statistics_file(stats, scope, export))
    query = request.GET.copy()
    query.pop("export", None)
    # Charts not drawn yet for these figures come in a second request (htmx, `?charts=1`): the figures show
    # at once instead of after six charts' drawing (seconds on a loaded machine; issue 14).
    drawing = query.pop("charts", None) is not None
    charts = statistics_charts(stats, draw=drawing)
    if drawing:
        drawn = [(name, uri, CHART_ALTS[name]) for name, uri in charts.items()]
        return render(request, "reports/_statistics_charts.html", {"charts": drawn})
    context = {"form": form, "stats": stats, "charts": charts, "scope": scope, "query": query.urlencode()}
    context["may_refresh"] = can_refresh_figures(request.user, scope)
    context["pending"] = None in charts.values()
    return render(request, "reports/statistics.html", context)
