"""Evidence API: list/retrieve through the incident's tenancy gate, multipart upload, audited download."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.api.base import VisibleModelViewSet
from ungcuu.api.inputs import JSONParser
from ungcuu.core.clientip import client_ip
from ungcuu.evidence import services
from ungcuu.evidence.access import can_download
from ungcuu.evidence.filters import EvidenceFilterSet
from ungcuu.evidence.models import CustodyEntry, Evidence
from ungcuu.evidence.responses import download_response
from ungcuu.incidents.models import Incident
from ungcuu.organizations import access


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The file is too large.")
    default_code = "too_large"


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.StringRelatedField()
    archive_password_hint = serializers.CharField(
        read_only=True, allow_null=True, help_text="Null unless the caller may download the evidence."
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "incident",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "kind",
            "classification",
            "description",
            "archive_password_hint",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self._may_download(instance.incident):
            data["archive_password_hint"] = None
        return data

    def _may_download(self, incident: Incident) -> bool:
        # One answer per incident and request: a page of evidence usually shares one incident.
        cache = self.context.setdefault("_may_download", {})
        if incident.pk not in cache:
            cache[incident.pk] = can_download(self.context["request"].user, incident)
        return cache[incident.pk]


class EvidenceUploadSerializer(serializers.Serializer):
    incident = serializers.IntegerField()
    # Empty files reach the service, which gives the same "empty" message as the page.
    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    classification = serializers.ChoiceField(choices=Evidence.Classification.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    password_hint = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CustodyEntrySerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = CustodyEntry
        fields = ["id", "action", "actor", "at", "note"]
        read_only_fields = fields


class CustodyNoteSerializer(serializers.Serializer):
    """A hand-over, an integrity check or a remark (uploads and downloads are recorded by the system)."""

    action = serializers.ChoiceField([(a.value, a.label) for a in services.HAND_ACTIONS])
    note = serializers.CharField(max_length=4000)


class EvidenceViewSet(VisibleModelViewSet):
    """Evidence of the incidents the caller sees; `?incident=<id>` narrows the list."""

    base_queryset = Evidence.objects.select_related("incident", "uploaded_by")
    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = EvidenceFilterSet
    token_scopes = {"create": TokenScope.REPORT, "add_custody": TokenScope.REPORT}

    def get_serializer_class(self):
        return EvidenceUploadSerializer if self.action == "create" else EvidenceSerializer

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceSerializer}
    )
    def create(self, request, *args, **kwargs):
        upload = EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        incident = access.get_visible_or_404(Incident.objects, request.user, pk=data["incident"])
        try:
            evidence = services.add_evidence(
                actor=request.user,
                incident=incident,
                uploaded_file=data["file"],
                kind=data["kind"],
                classification=data["classification"],
                description=data["description"],
                password_hint=data["password_hint"],
                ip_address=client_ip(request),
            )
        except services.EvidenceTooLarge as exc:
            raise PayloadTooLarge(exc.message_dict) from exc
        body = EvidenceSerializer(evidence, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself; the download is written to the custody log and the incident's timeline."""
        return download_response(
            actor=request.user, evidence=self.get_object(), ip_address=client_ip(request)
        )

    @extend_schema(responses=CustodyEntrySerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        parser_classes=[JSONParser, FormParser, MultiPartParser],  # a note: JSON like the other actions
    )
    def custody(self, request, pk=None):
        """The chain of custody, oldest first."""
        entries = self.get_object().custody.select_related("actor").order_by("at", "id")
        return Response(CustodyEntrySerializer(entries, many=True).data)

    @extend_schema(request=CustodyNoteSerializer, responses={201: CustodyEntrySerializer})
    @custody.mapping.post
    def add_custody(self, request, pk=None):
        """Record a hand-over, an integrity check or a remark (holders of the evidence only)."""
        evidence = self.get_object()
        access.require(can_download(request.user, evidence.incident))
        body = CustodyNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.add_custody_note(
            actor=request.user, evidence=evidence, ip_address=client_ip(request), **body.validated_data
        )
        return Response(CustodyEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [("evidence", EvidenceViewSet, "evidence")]
