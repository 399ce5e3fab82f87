"""Shared API plumbing: the tenancy gate for viewsets; permission → 403, validation → 400, conflict → 409.

Request input (query parameters, list filters, JSON bodies) lives in inputs.py.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from ungcuu.api import idempotency
from ungcuu.core.errors import Conflict


class VisibleModelViewSet(viewsets.ModelViewSet):
    """Every queryset passes through `visible_to(request.user)`: hidden objects are 404, not 403."""

    base_queryset = None

    def get_queryset(self):
        return self.base_queryset.all().visible_to(self.request.user)


def object_and_body(view, allowed, body_class=None) -> tuple:
    """An action on one object in the pages' order: the object through the gate (404), `allowed(user,
    obj)` before the body is read (403: a caller who may not act learns nothing from validation), then
    the body (400). Returns (object, validated data); the data is empty without a `body_class`."""
    obj = view.get_object()
    if not allowed(view.request.user, obj):
        raise PermissionDenied
    if body_class is None:
        return obj, {}
    body = body_class(data=view.request.data, context={"request": view.request})
    body.is_valid(raise_exception=True)
    return obj, dict(body.validated_data)


class ConflictError(exceptions.APIException):
    """The object's state does not allow this: 409 with the service's message in `detail`."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc, context):
    """Service errors in the API's shape: validation → 400, permission → 403, `Conflict` → 409; and a
    replayed idempotent POST answered as it was the first time."""
    if isinstance(exc, idempotency.Replayed):
        return idempotency.replay(exc)
    if isinstance(exc, Http404):
        # Django's "No Incident matches the given query." is English-only and names the model: the API's
        # one translated "Not found." for a missing and a hidden object alike.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)  # a service's reason (e.g. NĐ85 Art. 12)
    elif isinstance(exc, Conflict):  # InvalidTransition included
        exc = ConflictError(str(exc))
    return drf_exception_handler(exc, context)
