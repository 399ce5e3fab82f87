"""The coordination requests' filters, for the page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ungcuu.coordination.models import CoordinationRequest, Status
from ungcuu.core.filters import FilterSet, FlagFilter, IdFilter

AWAITING = "awaiting"  # a filter value, not a status: sent or acknowledged


class RequestFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(AWAITING, _("Awaiting answer")), *Status.choices],
        empty_label=_("All"),
        method="filter_status",
    )
    # A select on the page (`1`); the API also takes `true`.
    overdue = FlagFilter(
        label=_("Deadline"),
        widget=forms.Select(choices=[("", _("Any deadline")), ("1", _("Overdue only"))]),
        method="filter_overdue",
    )
    incident = IdFilter(label=_("Incident"), field_name="incident_id")

    class Meta:
        model = CoordinationRequest
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.awaiting_answer() if value == AWAITING else queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue()
