"""The preparedness lists' filters (plans, scenarios, drills, training courses), for the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ungcuu.core import taxonomy
from ungcuu.core.filters import FilterSet, SearchFilter
from ungcuu.preparedness.models import Drill, PlanStatus, ResponsePlan, Scenario, TrainingCourse

OUT_OF_DATE = "out_of_date"  # a filter value, not a status: past its review date


class PlanFilterSet(FilterSet):
    q = SearchFilter()
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*PlanStatus.choices, (OUT_OF_DATE, _("Past its review date"))],
        empty_label=_("All"),
        method="filter_status",
    )

    class Meta:
        model = ResponsePlan
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.out_of_date() if value == OUT_OF_DATE else queryset.filter(status=value)


def _groups():
    return [(code, taxonomy.label(g)) for code, g in taxonomy.incident_groups().items()]


class ScenarioFilterSet(FilterSet):
    q = SearchFilter()
    group = django_filters.ChoiceFilter(
        label=_("Cause"), choices=_groups, empty_label=_("All causes"), method="filter_group"
    )
    # The API's: one incident category code.
    category = django_filters.CharFilter(label=_("Incident category"))

    class Meta:
        model = Scenario
        fields: list[str] = []

    def filter_group(self, queryset, name, value: str):
        return queryset.filter(category__startswith=f"{value}.")


class DrillFilterSet(FilterSet):
    q = SearchFilter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Drill.Kind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Drill.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = Drill
        fields: list[str] = []


class CourseFilterSet(FilterSet):
    """The course list's search box (`?q=`: title, provider, topics)."""

    q = SearchFilter()

    class Meta:
        model = TrainingCourse
        fields: list[str] = []
