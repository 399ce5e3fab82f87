"""The advisories' list filters (page and API) and the response matrix's filters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ungcuu.advisories.models import Advisory, AdvisorySystemState, AdvisoryTarget, Indicator, TargetStatus
from ungcuu.core.filters import FilterSet, FlagFilter, IdFilter, ObjectFilter, SearchFilter
from ungcuu.incidents.models import Incident

SHOW_CHOICES = [
    ("open", _("Not completed")),
    (TargetStatus.SENT.value, _("Not acknowledged")),
    ("overdue", _("Overdue")),
    (TargetStatus.COMPLETED.value, _("Completed")),
]


class AdvisoryFilterSet(FilterSet):
    q = SearchFilter(max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Advisory.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = Advisory
        fields: list[str] = []


def _issued(user):
    return Advisory.objects.visible_to(user).exclude(status=Advisory.Status.DRAFT).order_by("-published_at")


class MatrixFilterSet(FilterSet):
    advisory = ObjectFilter(label=_("Advisory"), queryset=_issued, empty_label=_("All advisories"))
    show = django_filters.ChoiceFilter(
        label=_("Show"), choices=SHOW_CHOICES, empty_label=_("All targets"), method="filter_show"
    )

    class Meta:
        model = AdvisoryTarget
        fields: list[str] = []

    def filter_show(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue()
        return queryset.filter(status=value)


class TargetFilterSet(FilterSet):
    """The API's advisory targets: `?advisory=<id>`, `?overdue=true`."""

    advisory = IdFilter(label=_("Advisory"), field_name="advisory_id")
    overdue = FlagFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = AdvisoryTarget
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue()


class SystemStateFilterSet(FilterSet):
    """The API's remediation states: `?target=<id>`."""

    target = IdFilter(label=_("Target"), field_name="target_id")

    class Meta:
        model = AdvisorySystemState
        fields: list[str] = []


class IndicatorFilterSet(FilterSet):
    """`?q=<value or part>`, `?incident=<id>`, `?advisory=<id>`.

    The ids go through the incident's and the advisory's own gates: an indicator visible through one object
    must not show that it is also on a hidden one. A hidden id lists nothing, exactly like an id that does
    not exist (a filter narrows a list; it never answers 404)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    incident = IdFilter(label=_("Incident"), method="filter_incident")
    advisory = IdFilter(label=_("Advisory"), method="filter_advisory")

    class Meta:
        model = Indicator
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(value__contains=value.lower())

    def filter_incident(self, queryset, name, value):
        incidents = Incident.objects.visible_to(self.user).filter(pk=value)
        return queryset.filter(incident_links__incident__in=incidents.values("pk"))

    def filter_advisory(self, queryset, name, value):
        advisories = Advisory.objects.visible_to(self.user).filter(pk=value)
        return queryset.filter(advisory_links__advisory__in=advisories.values("pk"))
