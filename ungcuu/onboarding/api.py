"""The registry's workbook through the API (issue 16): the import template and the export of the whole
registry, for the coordinators as on the pages (anyone else: 403). Importing and inviting stay page-only
(a preview to confirm, one-time links to hand over): see docs/api-coverage.md."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from ungcuu.onboarding.columns import SHEETS
from ungcuu.onboarding.export import csv_bytes, workbook_bytes
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
SHEET = OpenApiParameter(
    "sheet",
    str,
    enum=[sheet.kind for sheet in SHEETS],
    description="One sheet as CSV (UTF-8); without it, the whole workbook (.xlsx).",
)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class RegistryViewSet(viewsets.GenericViewSet):
    """The registry workbook: every unit, focal point and system (coordinators only)."""

    serializer_class = serializers.Serializer
    action_parameters = {"export": [SHEET]}

    def get_queryset(self):
        return Organization.objects.none()

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def template(self, request):
        """The empty Vietnamese template the import reads."""
        access.require(access.is_coordinator(request.user))
        return _file(workbook_bytes(with_data=False), "mau-nhap-danh-muc.xlsx", XLSX)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY, (200, CSV): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The registry in the template's layout (re-importing it changes nothing)."""
        access.require(access.is_coordinator(request.user))
        stamp = timezone.localdate().isoformat()
        sheet = next((s for s in SHEETS if s.kind == request.query_params.get("sheet")), None)
        if sheet is not None:
            return _file(csv_bytes(sheet), f"danh-muc-{sheet.kind}-{stamp}.csv", CSV)
        return _file(workbook_bytes(with_data=True), f"danh-muc-{stamp}.xlsx", XLSX)


ROUTES = [("registry", RegistryViewSet, "registry")]
