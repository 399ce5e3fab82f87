"""The evidence list's filter (API): `?incident=<id>`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ungcuu.core.filters import FilterSet, IdFilter
from ungcuu.evidence.models import Evidence


class EvidenceFilterSet(FilterSet):
    incident = IdFilter(label=_("Only this incident's evidence"), field_name="incident_id")

    class Meta:
        model = Evidence
        fields: list[str] = []
