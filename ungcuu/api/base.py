"""Shared API plumbing: the tenancy gate for viewsets, errors → 4xx (request input: inputs.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from ungcuu.api.inputs import form_filters, id_filter, query_flag, valid_filters


class VisibleModelViewSet(viewsets.ModelViewSet):
    """Every queryset passes through `visible_to(request.user)`: hidden objects are 404, not 403."""

    base_queryset = None

    def get_queryset(self):
        return self.base_queryset.all().visible_to(self.request.user)


def exception_handler(exc, context):
    """Model/service validation errors become 400 with field messages instead of 500."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


# Re-exported: viewsets declare their filters with these.
__all__ = [
    "VisibleModelViewSet",
    "exception_handler",
    "form_filters",
    "id_filter",
    "query_flag",
    "valid_filters",
]
