"""The one related-object field of the API: choices limited to what the caller may see.

A hidden object and a missing one must be indistinguishable (404 for URLs, the same 400 for bodies).
A `PrimaryKeyRelatedField` over `Model.objects.all()` followed by a visibility check in `validate_<x>`
answers "Unknown organization." for a hidden row and "Invalid pk … does not exist." for a missing one:
an existence oracle. This field looks the value up in the caller's own queryset instead, so both get
DRF's one "does not exist" message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from rest_framework import serializers

Scope = Callable[[Any], models.QuerySet]


def visible(model: type[models.Model]) -> Scope:
    """The default scope: the model's own tenancy gate, `Model.objects.visible_to(user)`."""
    return lambda user: model._default_manager.all().visible_to(user)  # type: ignore[attr-defined]


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key resolved within `scope(user)`, the requesting user's choices (default: visible_to).

    `ScopedRelatedField(Organization)`, `ScopedRelatedField(InformationSystem, many=True, required=False)`,
    `ScopedRelatedField(Organization, scope=permissions.manageable_organizations)`.
    """

    def __init__(self, model: type[models.Model], scope: Scope | None = None, **kwargs):
        self.model = model
        self.scope = scope or visible(model)
        # The empty queryset only names the model (for the OpenAPI schema); choices come from the scope.
        kwargs.setdefault("queryset", None if kwargs.get("read_only") else model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return self.model._default_manager.none()
        return self.scope(user)
