"""API: an incident's or advisory's STIX bundle and MISP event, and importing indicators into either.

Same gates and services as the pages: hidden is 404, visible but not allowed is 403, bad input 400 with
the reasons, an upload over the limits 413. Registered on the incidents' and advisories' own prefixes
(`/api/v1/incidents/{id}/stix/`), so each object keeps one address.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ungcuu.advisories.models import Advisory
from ungcuu.incidents.models import Incident
from ungcuu.intel import access, misp, parsing, services, stix
from ungcuu.intel.models import Format, IntelImport
from ungcuu.organizations.access import require


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The file is too large.")
    default_code = "too_large"


class ImportBodySerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=Format.choices, help_text="stix (a STIX 2.1 bundle) or misp (a MISP event)."
    )
    file = serializers.FileField(allow_empty_file=True, help_text="The bundle or event, JSON.")


class SkippedSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    reason = serializers.CharField()


class ImportResultSerializer(serializers.ModelSerializer):
    skipped = SkippedSerializer(
        many=True, read_only=True, help_text="Objects not imported (at most 50 listed)."
    )

    class Meta:
        model = IntelImport
        fields = ["id", "format", "file_name", "sha256", "added", "already_imported", "skipped", "at"]
        read_only_fields = fields


class IntelViewSet(viewsets.GenericViewSet):
    """Detail actions only; `queryset` is filtered through the object's tenancy gate."""

    parser_classes = [MultiPartParser, FormParser]
    serializer_class = ImportBodySerializer
    model: type[Incident] | type[Advisory]
    target = ""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def _import(self, request, obj, allowed: bool):
        require(allowed)  # before the body is read: a refused caller learns nothing from its errors
        body = ImportBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > parsing.max_bytes():
            raise PayloadTooLarge({"file": [str(_("The file is too large."))]})
        try:
            result = services.import_indicators(
                actor=request.user,
                format=body.validated_data["format"],
                raw=upload.read(),
                file_name=upload.name or "",
                **{self.target: obj},
            )
        except parsing.TooLarge as exc:
            raise PayloadTooLarge({"file": [str(exc)]}) from exc
        return Response(ImportResultSerializer(result).data, status=status.HTTP_201_CREATED)


def _json(text: str) -> Response:
    return Response(json.loads(text))


class IncidentIntelViewSet(IntelViewSet):
    """An incident as STIX 2.1 or MISP; importing a STIX bundle or MISP event of indicators into it."""

    model = Incident
    target = "incident"

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, description="The incident as a STIX 2.1 bundle.")
    @action(detail=True, methods=["get"])
    def stix(self, request, pk=None):
        return _json(stix.serialize(stix.incident_bundle(self.get_object())))

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT}, description="The incident's indicators as a MISP event."
    )
    @action(detail=True, methods=["get"])
    def misp(self, request, pk=None):
        return _json(misp.serialize(misp.incident_event(self.get_object())))

    @extend_schema(
        request={"multipart/form-data": ImportBodySerializer},
        responses={201: ImportResultSerializer},
        description="Import the indicators of a STIX bundle or MISP event; the same file again adds nothing.",
    )
    @action(detail=True, methods=["post"], url_path="import-indicators")
    def import_indicators(self, request, pk=None):
        incident = self.get_object()
        return self._import(request, incident, access.can_import_into_incident(request.user, incident))


class AdvisoryIntelViewSet(IntelViewSet):
    """An advisory as STIX 2.1 or MISP; importing indicators into it (coordinators)."""

    model = Advisory
    target = "advisory"

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, description="The advisory as a STIX 2.1 bundle.")
    @action(detail=True, methods=["get"])
    def stix(self, request, pk=None):
        return _json(stix.serialize(stix.advisory_bundle(self.get_object())))

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, description="The advisory as a MISP event.")
    @action(detail=True, methods=["get"])
    def misp(self, request, pk=None):
        return _json(misp.serialize(misp.advisory_event(self.get_object())))

    @extend_schema(
        request={"multipart/form-data": ImportBodySerializer},
        responses={201: ImportResultSerializer},
        description="Import the indicators of a STIX bundle or MISP event; the same file again adds nothing.",
    )
    @action(detail=True, methods=["post"], url_path="import-indicators")
    def import_indicators(self, request, pk=None):
        advisory = self.get_object()
        return self._import(request, advisory, access.can_import_into_advisory(request.user, advisory))


ROUTES = [
    ("incidents", IncidentIntelViewSet, "incident-intel"),
    ("advisories", AdvisoryIntelViewSet, "advisory-intel"),
]
