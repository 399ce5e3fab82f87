"""The inbound mail log's filter, for the API (the page reads the same `?outcome=`)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ungcuu.core.filters import FilterSet
from ungcuu.interop.models import InboundMessage


class InboundFilterSet(FilterSet):
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=InboundMessage.Outcome.choices, empty_label=_("All")
    )

    class Meta:
        model = InboundMessage
        fields: list[str] = []
