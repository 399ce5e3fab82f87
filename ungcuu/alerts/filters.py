"""The alert groups' filters, for the page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from ungcuu.alerts.models import SEVERITY_NAMES, AlertGroup, Severity
from ungcuu.core.filters import FilterSet, ObjectFilter, SearchFilter
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem


def _organizations(user):
    return Organization.objects.visible_to(user).filter(is_active=True)


def _systems(user):
    return InformationSystem.objects.visible_to(user)


@extend_schema_field({"type": "string", "enum": list(SEVERITY_NAMES)})
class SeverityFilter(django_filters.ChoiceFilter):
    """The API's level words (`?severity=high`: high or critical); the column itself is a number, which
    the schema would otherwise announce."""


class AlertGroupFilterSet(FilterSet):
    q = SearchFilter()
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AlertGroup.Status.choices, empty_label=_("All states")
    )
    severity = SeverityFilter(
        label=_("Severity at least"),
        choices=[(word, Severity(value).label) for word, value in SEVERITY_NAMES.items()],
        empty_label=_("All levels"),
        method="filter_severity",
    )
    source = django_filters.CharFilter(label=_("Source"), max_length=100)
    organization = ObjectFilter(
        label=_("Organization"), queryset=_organizations, empty_label=_("All organizations")
    )
    system = ObjectFilter(label=_("Information system"), queryset=_systems, empty_label=_("All systems"))

    class Meta:
        model = AlertGroup
        fields: list[str] = []

    def filter_severity(self, queryset, name, value):
        return queryset.filter(severity__gte=SEVERITY_NAMES[value])
