"""List filters: one django-filter `FilterSet` per list, used by its page and its API viewset alike.

A page calls `filter_page`; a viewset names the same class in `filterset_class` (the API's filter backend
refuses invalid values with 400, and the schema documents every filter). Filter methods stay plain
`.filter()`/`.exclude()` calls on the queryset they are given: the visibility gate (`visible_to`) has
already run, and a filter must not add joins or DISTINCT on top of it.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
# Ids stop at the databases' 64-bit integers: the schema says so, and a larger one is refused like a
# missing object (400 in the API), never an overflow inside the database driver.
MAX_ID = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

__all__ = [
    "DATE_INPUT",
    "ID_SCHEMA",
    "MAX_ID",
    "FilterSet",
    "FlagFilter",
    "IdFilter",
    "ObjectFilter",
    "SearchFilter",
    "filter_page",
]


class FilterSet(django_filters.FilterSet):
    """A list's filters; `self.user` is the caller (None without a request).

    `refused_shows_nothing`: on a page, a value the form refuses shows no rows (the audit trail, findings:
    a wrong search must not look like an answer) instead of the unfiltered list.
    """

    refused_shows_nothing = False

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = getattr(request, "user", None)


class _IdChoice(django_filters.fields.ModelChoiceField):
    """An id past the databases' integers says so (the schema's bound), before any lookup."""

    def to_python(self, value):
        if isinstance(value, str) and value.isdigit():
            MaxValueValidator(MAX_ID)(int(value))
        return super().to_python(value)


@extend_schema_field(ID_SCHEMA)
class ObjectFilter(django_filters.ModelChoiceFilter):
    """One related object by its id, chosen among `queryset(user)`: what the caller can see, so a hidden
    object is refused like a missing one. Without a request (the schema generator) the user is anonymous."""

    field_class = _IdChoice

    def get_queryset(self, request):
        return self.queryset(getattr(request, "user", None) or AnonymousUser())


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """`?incident=<id>` on a list that is already limited to what the caller sees: the rows pointing at
    that object. A hidden or missing id lists nothing, alike (a filter narrows a list; it never tells)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _Checkbox(forms.BooleanField):
    """Checked is True; unchecked is no value at all, so the filter does not run."""

    def to_python(self, value):
        return super().to_python(value) or None


@extend_schema_field(OpenApiTypes.BOOL)
class FlagFilter(django_filters.Filter):
    """A checkbox (`?overdue=on`, `true`, `1`): on filters (through `method`), off or absent does nothing."""

    field_class = _Checkbox


class SearchFilter(django_filters.CharFilter):
    """`?q=`: the model's own `search()` queryset method (words, references)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


def filter_page(
    filterset_class: type[FilterSet], request, queryset: QuerySet, data=None
) -> tuple[forms.Form, QuerySet]:
    """(form, rows) for a list page, filtered by `data` (default: the query string). A value the form
    refuses shows the unfiltered list (or none, see `refused_shows_nothing`) with the form's message; the
    API answers 400 instead (ungcuu.api.inputs.ListFilterBackend)."""
    filterset = filterset_class(data or request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset.form, queryset.none() if filterset_class.refused_shows_nothing else queryset
    return filterset.form, filterset.qs
