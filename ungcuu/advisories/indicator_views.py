"""Indicator pages: adding and removing on an advisory or an incident (with "seen before"), and search."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ungcuu.advisories import access, presenters
from ungcuu.advisories.forms import IndicatorForm
from ungcuu.advisories.indicators import IndicatorResult, add_indicator, remove_indicator
from ungcuu.advisories.models import Advisory, Indicator
from ungcuu.advisories.validators import normalize_indicator
from ungcuu.advisories.views import next_url
from ungcuu.core import actions
from ungcuu.core.errors import Conflict
from ungcuu.core.htmx import is_htmx, render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.incidents.models import Incident
from ungcuu.organizations.access import get_visible_or_404, require

FRAGMENT = "advisories/_indicators.html"


def _owner(request, *, advisory_pk=None, incident_pk=None) -> dict:
    """The advisory or incident the list belongs to, through its gate, with who may change the list."""
    user = request.user
    if advisory_pk is not None:
        advisory = get_visible_or_404(Advisory.objects.all(), user, pk=advisory_pk)
        return {"advisory": advisory, "allowed": access.can_write(user)}
    incident = get_visible_or_404(Incident.objects.all(), user, pk=incident_pk)
    return {"incident": incident, "allowed": access.can_add_to_incident(user, incident)}


def _context(user, owner: dict, **extra) -> dict:
    if "advisory" in owner:
        return presenters.advisory_indicators_context(user, owner["advisory"], **extra)
    return presenters.incident_indicators_context(user, owner["incident"], **extra)


def _back(owner: dict) -> str:
    if "advisory" in owner:
        return owner["advisory"].get_absolute_url()
    return reverse("incidents:detail", args=[owner["incident"].pk])


def seen_message(result: IndicatorResult) -> str:
    """ "Seen before in incident NB-…, advisory CB-…" for the flash message of a page without HTMX."""
    places = [_("incident %(ref)s") % {"ref": i.reference} for i in result.seen_before.incidents]
    places += [_("advisory %(ref)s") % {"ref": a.reference} for a in result.seen_before.advisories]
    if not places:
        return _("Indicator added: %(value)s. Not seen before.") % {"value": result.indicator.value}
    return _("Indicator added: %(value)s. Seen before in %(places)s.") % {
        "value": result.indicator.value,
        "places": ", ".join(places),
    }


def _add(request, owner: dict):
    require(owner["allowed"])
    form = IndicatorForm(request.POST)
    result, status = None, 400
    if form.is_valid():
        data = form.cleaned_data
        result, status = actions.run(
            form,
            lambda: add_indicator(
                actor=request.user,
                value=data["value"],
                kind=data["kind"] or None,
                advisory=owner.get("advisory"),
                incident=owner.get("incident"),
            ),
        )
    if result is not None and not is_htmx(request):
        messages.success(request, seen_message(result))
        return redirect(next_url(request, _back(owner)))
    if result is not None:
        form, status = IndicatorForm(), 200
    context = {**_context(request.user, owner, form=form, result=result), "next": next_url(request, "")}
    if is_htmx(request):
        return render(request, FRAGMENT, context, status=status)
    return render(request, "advisories/indicators_form.html", context, status=status)


def _remove(request, owner: dict, indicator_pk: int):
    require(owner["allowed"])
    indicator = Indicator.objects.filter(pk=indicator_pk).first()
    if indicator is not None:
        try:
            remove_indicator(
                actor=request.user,
                indicator=indicator,
                advisory=owner.get("advisory"),
                incident=owner.get("incident"),
            )
        except Conflict as exc:  # the page again with the reason and 409, as every refused action
            context = {**_context(request.user, owner, form=IndicatorForm()), "next": next_url(request, "")}
            context["error"] = str(exc)
            template = FRAGMENT if is_htmx(request) else "advisories/indicators_form.html"
            return render(request, template, context, status=actions.WRONG_STATE)
    if is_htmx(request):
        return render(request, FRAGMENT, _context(request.user, owner))
    return redirect(next_url(request, _back(owner)))


@login_required
@require_POST
def advisory_indicator_add(request, pk: int):
    return _add(request, _owner(request, advisory_pk=pk))


@login_required
@require_POST
def advisory_indicator_remove(request, pk: int, indicator: int):
    return _remove(request, _owner(request, advisory_pk=pk), indicator)


@login_required
def incident_indicators(request, incident_pk: int):
    """The incident's indicators: the fragment the incident page includes, or a page of its own."""
    owner = _owner(request, incident_pk=incident_pk)
    context = _context(request.user, owner)
    return render_page_or_fragment(request, "advisories/incident_indicators.html", FRAGMENT, context)


@login_required
@require_POST
def incident_indicator_add(request, incident_pk: int):
    return _add(request, _owner(request, incident_pk=incident_pk))


@login_required
@require_POST
def incident_indicator_remove(request, incident_pk: int, indicator: int):
    return _remove(request, _owner(request, incident_pk=incident_pk), indicator)


def _search(user, query: str):
    indicators = Indicator.objects.visible_to(user)
    query = query.strip()
    if not query:
        return indicators.order_by("-created_at", "-id")
    try:
        kind, value = normalize_indicator(None, query)
    except ValidationError:
        return indicators.filter(value__icontains=query.lower()).order_by("kind", "value")
    return indicators.filter(kind=kind, value=value)


@login_required
def indicator_search(request):
    """Look an indicator up: where it was seen, among the incidents and advisories the user may open."""
    query = (request.GET.get("q") or "")[:2000]
    page = paginate(request, _search(request.user, query))
    context = {"query": query, "page": page, "rows": presenters.indicator_rows(request.user, list(page))}
    return render_page_or_fragment(
        request, "advisories/indicator_search.html", "advisories/_indicator_results.html", context
    )
