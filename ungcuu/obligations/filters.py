"""The occurrences' filters (API): `?status=`, `?code=`, `?organization=<id>`."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ungcuu.core.filters import FilterSet, IdFilter
from ungcuu.obligations.models import Occurrence


class OccurrenceFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Occurrence.Status.choices)
    code = django_filters.CharFilter(
        label=_("Obligation code, e.g. LIVE_FIRE_DRILL"), field_name="definition__code"
    )
    organization = IdFilter(label=_("Organization"), field_name="organization_id")

    class Meta:
        model = Occurrence
        fields: list[str] = []
