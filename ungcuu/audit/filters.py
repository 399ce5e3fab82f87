"""The audit trail's filters: who, what, when and which object."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ungcuu.audit.models import AuditEvent
from ungcuu.core.filters import DATE_INPUT, FilterSet


class _TrailForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class _TargetTypeChoice(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return gettext(str(obj.model_class()._meta.verbose_name))


class _TargetTypeFilter(django_filters.ModelChoiceFilter):
    field_class = _TargetTypeChoice


def _used_target_types(request):
    used = AuditEvent.objects.exclude(target_type=None).values("target_type")
    return ContentType.objects.filter(pk__in=used).order_by("model")


class AuditFilterSet(FilterSet):
    """An invalid search shows nothing rather than a guess."""

    refused_shows_nothing = True

    actor = django_filters.CharFilter(
        label=_("Actor"), field_name="actor_name", lookup_expr="icontains", max_length=150
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditEvent.Action.choices, empty_label=_("All actions")
    )
    target_type = _TargetTypeFilter(
        label=_("Target type"), queryset=_used_target_types, empty_label=_("All target types")
    )
    target = django_filters.CharFilter(label=_("Target"), max_length=200, method="filter_target")
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=DATE_INPUT
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = _TrailForm

    def filter_target(self, queryset, name, value):
        return queryset.filter(Q(target_label__icontains=value) | Q(target_id=value))
