"""The incident list's filters, for the page and the API (`?q=`, `?status=open`, `?overdue=on`, …)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ungcuu.core.filters import DATE_INPUT, FilterSet, FlagFilter, ObjectFilter, SearchFilter
from ungcuu.incidents.models import ENDED_STATUSES, Incident, Status, category_choices
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem


def _organizations(user):
    return Organization.objects.visible_to(user).filter(is_active=True)


def _systems(user):
    return InformationSystem.objects.visible_to(user)


class IncidentFilterSet(FilterSet):
    q = SearchFilter()
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("Open")), *Status.choices],
        empty_label=_("All statuses"),
        method="filter_status",
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Incident.Severity.choices, empty_label=_("All severities")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=category_choices, empty_label=_("All categories")
    )
    organization = ObjectFilter(
        label=_("Organization"),
        queryset=_organizations,
        empty_label=_("All organizations"),
        method="filter_organization",
    )
    system = ObjectFilter(label=_("System"), queryset=_systems, empty_label=_("All systems"))
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="reported_at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="reported_at", lookup_expr="date__lte", widget=DATE_INPUT
    )
    overdue = FlagFilter(label=_("Overdue only"), method="filter_overdue")
    # DOMAIN.md §d, QĐ05 Art. 11.1a: the operator's report came after the 5-day limit.
    reported_late = FlagFilter(label=_("Reported late only (5-day rule)"), method="filter_reported_late")
    # Only indexed columns (reference is unique, status and reported_at carry an index): the list stays a
    # plain indexed scan whatever the visibility gate becomes (issue 15; branch perf owns the gate).
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("reported_at", "reported_at"), ("reference", "reference"), ("status", "status")),
        field_labels={
            "reported_at": _("Reported"),
            "reference": _("Reference"),
            "status": _("Status"),
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        if value == "open":  # the same SQL as the partial indexes' condition (models.Incident.Meta)
            return queryset.exclude(status__in=ENDED_STATUSES)
        return queryset.filter(status=value)

    def filter_organization(self, queryset, name, value):
        return queryset.filter(Q(operator=value) | Q(owner=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue()

    def filter_reported_late(self, queryset, name, value):
        return queryset.reported_late()

    def filter_queryset(self, queryset):
        """Every listed row also answers `is_reported_late` (the list's badge, the API field) in one query."""
        return super().filter_queryset(queryset).with_reported_late()
