"""The organization list's filters, for the page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ungcuu.core.filters import FilterSet, SearchFilter
from ungcuu.organizations.models import Kind, Organization


class OrganizationFilterSet(FilterSet):
    q = SearchFilter()
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Kind.choices, empty_label=_("All types"))

    class Meta:
        model = Organization
        fields: list[str] = []
