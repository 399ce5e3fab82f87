"""The findings lists' filters, for the pages (province, organization, system), the export and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ungcuu.core.filters import FilterSet, FlagFilter, ObjectFilter
from ungcuu.core.text import fold
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.vulnerabilities.models import Finding
from ungcuu.vulnerabilities.severity import SEVERITY_ORDER

UNRESOLVED = "unresolved"  # a filter value, not a status: open or reopened


def _organizations(user):
    return Organization.objects.visible_to(user)


def _systems(user):
    return InformationSystem.objects.visible_to(user)


class FindingFilterSet(FilterSet):
    """An invalid choice (say, an organization the user cannot see) matches nothing on the pages rather
    than silently showing everything; the API answers 400."""

    refused_shows_nothing = True

    q = django_filters.CharFilter(
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("CVE, name or check")}),
        method="filter_q",
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"),
        choices=[(s.value, s.label) for s in SEVERITY_ORDER if s.value != "none"],
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(UNRESOLVED, _("Open or reopened")), *Finding.Status.choices],
        empty_label=_("All"),
        method="filter_status",
    )
    # A select rather than a checkbox: it sits in the filter bar like the others, on phones too.
    overdue = FlagFilter(
        label=_("Remediation due"),
        widget=forms.Select(choices=[("", _("Any")), ("on", _("Overdue only"))]),
        method="filter_overdue",
    )
    organization = ObjectFilter(
        label=_("Organization"), queryset=_organizations, empty_label=_("All"), method="filter_organization"
    )
    system = ObjectFilter(label=_("Information system"), queryset=_systems, empty_label=_("All"))

    class Meta:
        model = Finding
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        # search_text holds the folded name, check id and CVE ids: "cve-2025-24813" finds CVE-2025-24813.
        return queryset.filter(search_text__contains=fold(value))

    def filter_status(self, queryset, name, value):
        return queryset.unresolved() if value == UNRESOLVED else queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue()

    def filter_organization(self, queryset, name, value):
        return queryset.for_organization(value)


def filter_query(query: QueryDict) -> QueryDict:
    """Before any filter is chosen (a first visit, or a pager link) a findings page shows the work still
    to do; choosing "All" sends an empty status and shows everything."""
    if any(key in FindingFilterSet.base_filters for key in query):
        return query
    defaults = query.copy()
    defaults["status"] = UNRESOLVED
    return defaults
