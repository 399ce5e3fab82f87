"""The OpenAPI schema tells the truth: declared query parameters, and the error answers every operation gives.

The fuzz test (tests/test_api_fuzz.py) holds the API to this schema, so what is written here is checked.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import serializers

from ungcuu.api.inputs import declared_parameters


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
        return [*super().get_override_parameters(), *declared_parameters(self.view)]


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
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        errors.update(UPLOADS)
    return errors


def _response(name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }
