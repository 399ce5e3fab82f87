"""The system registry's filters, for the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ungcuu.core.filters import FilterSet, ObjectFilter, SearchFilter
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem


def _organizations(user):
    return Organization.objects.visible_to(user).filter(is_active=True)


class SystemFilterSet(FilterSet):
    q = SearchFilter()
    level = django_filters.ChoiceFilter(
        label=_("Level"),
        field_name="security_level",
        choices=[(str(n), str(n)) for n in range(1, 6)],
        empty_label=_("All levels"),
    )
    state = django_filters.ChoiceFilter(
        label=_("Dossier"),
        field_name="dossier_state",
        choices=InformationSystem.DossierState.choices,
        empty_label=_("All states"),
    )
    organization = ObjectFilter(
        label=_("Organization"),
        queryset=_organizations,
        empty_label=_("All organizations"),
        method="filter_organization",
    )

    class Meta:
        model = InformationSystem
        fields: list[str] = []

    def filter_organization(self, queryset, name, value):
        return queryset.filter(Q(owner=value) | Q(operator=value))
