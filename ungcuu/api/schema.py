"""The OpenAPI schema tells the truth: declared query parameters, and the error answers every operation gives.

The fuzz test (tests/test_api_fuzz.py) holds the API to this schema, so what is written here is checked.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from ungcuu.api import idempotency
from ungcuu.api.inputs import declared_parameters
from ungcuu.api.permissions import TokenScopes, required_scope

IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    {"type": "string", "pattern": idempotency.KEY_PATTERN},
    location=OpenApiParameter.HEADER,
    description="Optional. A retry with the same key and the same body gets the first answer again "
    "(header `Idempotent-Replayed: true`); the same key with another body is refused (422). Kept "
    "API_IDEMPOTENCY_HOURS (24 h by default).",
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus each viewset's declared list filters (`filters`) as query parameters,
    and read-only fields that say when they can be null or blank."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF drops `allow_blank` from fields listed in `read_only_fields`, and a read-only field reached
        # through a nullable relation (`source="system.name"`, a StringRelatedField of `updated_by`) is
        # declared without `allow_null`: the schema then promised an enum value or a string where the API
        # answers "" or null. What the model allows, the schema says.
        if not field.read_only:
            return super()._map_serializer_field(field, direction, bypass_extensions)
        null, blank = _model_allows(field)
        field.allow_null = getattr(field, "allow_null", False) or null
        if isinstance(field, serializers.ChoiceField):
            field.allow_blank = field.allow_blank or blank
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if blank and schema.get("type") == "string" and "format" in schema:
            # An empty URL or e-mail is "", which no `format` accepts.
            formatted = {"type": "string", "format": schema.pop("format")}
            schema = {"anyOf": [formatted, {"type": "string", "maxLength": 0}], **schema}
            schema.pop("type")
        return schema

    def get_override_parameters(self):
        # The same list the API enforces; its `page` (minimum 1) replaces the paginator's unbounded one.
        keyed = self.method == "POST" and idempotency.IdempotentPosts in _permissions(self.view)
        posts = [IDEMPOTENCY_KEY] if keyed else []
        return [*super().get_override_parameters(), *declared_parameters(self.view), *posts]

    def get_operation(self, *args, **kwargs):
        # The token scope the operation needs (api/permissions.py), as an extension and in its text.
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and TokenScopes in _permissions(self.view):
            scope = str(required_scope(self.view, self.method))
            operation["x-token-scope"] = scope
            text = operation.get("description", "")
            operation["description"] = f"{text}\n\nToken scope: `{scope}`.".strip()
        return operation


def _permissions(view) -> list:
    return list(getattr(view, "permission_classes", []))


def _model_allows(field) -> tuple[bool, bool]:
    """(null, blank) for a serializer field read from its serializer's model along `field.source`."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or field.source == "*":
        return False, False
    null = False
    model_field = None
    for attr in field.source.split("."):
        if model is None:
            return null, False
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return null, False
        null = null or bool(getattr(model_field, "null", False))
        model = model_field.related_model if model_field.is_relation else None
    return null, bool(getattr(model_field, "blank", False))


ERROR_DETAIL = {
    "type": "object",
    "description": "One message a person can act on.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Messages per field (a list of texts, or the errors of a nested object); "
    "`non_field_errors` for the body as a whole, `detail` for a body that could not be read.",
    "additionalProperties": {},
}
COMMON = {
    "400": ("FieldErrors", "Bad input: the body or a query parameter (unknown, or not of its type)."),
    "401": ("ErrorDetail", "No valid credentials."),
    "403": ("ErrorDetail", "Visible, but the caller may not do this."),
    "404": ("ErrorDetail", "Not found, or not visible to the caller (the two are not told apart)."),
    "429": ("ErrorDetail", "Too many requests; try again later."),
}
WRITES = {
    "409": ("ErrorDetail", "The object's state does not allow this."),
    "415": ("ErrorDetail", "The body's content type is not accepted here."),
}
UPLOADS = {"413": ("FieldErrors", "The file is too large.")}
POSTS = {"422": ("ErrorDetail", "This Idempotency-Key was already used for a different request.")}


def document_errors(result, generator, request, public):
    """Postprocessing hook: add the API's error answers to every operation that does not document them."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", ERROR_DETAIL)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            for code, (name, description) in _errors_for(method, operation).items():
                operation["responses"].setdefault(code, _response(name, description))
    return result


def _errors_for(method: str, operation: dict) -> dict:
    errors = dict(COMMON)
    if method in {"post", "put", "patch", "delete"}:
        errors.update(WRITES)
    if method == "post" and any(p["name"] == idempotency.HEADER for p in operation.get("parameters", [])):
        errors.update(POSTS)
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        errors.update(UPLOADS)
    return errors


def _response(name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }
