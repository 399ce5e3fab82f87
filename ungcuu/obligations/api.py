"""Obligations API: occurrences through the tenancy gate (mark done / waive), and the definitions list."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.api.base import object_and_body
from ungcuu.core import exports
from ungcuu.obligations import compliance, services
from ungcuu.obligations.access import can_fulfil, can_waive
from ungcuu.obligations.filters import OccurrenceFilterSet
from ungcuu.obligations.forms import check_evidence_file
from ungcuu.obligations.models import DEFINITION_FIELDS, EvidenceKind, ObligationDefinition, Occurrence


class DefinitionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = ObligationDefinition
        fields = ["title", *DEFINITION_FIELDS]  # `title`: in the caller's language
        read_only_fields = fields


class OccurrenceSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="definition.code", read_only=True)
    title = serializers.CharField(source="definition.title", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    system_name = serializers.CharField(source="system.name", read_only=True, default=None)
    on_time = serializers.SerializerMethodField()

    class Meta:
        model = Occurrence
        fields = [
            "id",
            "code",
            "title",
            "organization",
            "organization_name",
            "system",
            "system_name",
            "period_start",
            "due_on",
            "status",
            "done_on",
            "on_time",
            "evidence_kind",
            "evidence_note",
            "evidence_link",
            "waived_reason",
        ]
        read_only_fields = fields

    def get_on_time(self, occurrence: Occurrence) -> bool | None:
        return None if occurrence.done_on is None else not occurrence.was_late


class DoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False)
    link = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DoneUploadSerializer(DoneSerializer):
    """The same, with the proof as a file (multipart), checked like the page's upload."""

    file = serializers.FileField(required=False, allow_empty_file=False)

    def validate_file(self, upload):
        if upload:
            check_evidence_file(upload)
        return upload


class WaiveSerializer(serializers.Serializer):
    reason = serializers.CharField()


class OccurrenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Occurrences of the organizations and systems the caller sees; filter by status, code, organization.

    Read-only apart from its two actions: occurrences come from the schedule, not from callers.
    """

    serializer_class = OccurrenceSerializer
    filterset_class = OccurrenceFilterSet
    token_scopes = {"done": TokenScope.REPORT, "waive": TokenScope.COORDINATE}

    def get_queryset(self):
        related = Occurrence.objects.select_related("definition", "organization", "system")
        return related.visible_to(self.request.user)

    @extend_schema(
        request={"application/json": DoneSerializer, "multipart/form-data": DoneUploadSerializer},
        responses={200: OccurrenceSerializer},
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark done with a file (multipart), a link or a note."""
        occurrence = self._open_for(can_fulfil)
        body = DoneUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        upload = data.get("file")
        kind = EvidenceKind.given(file=upload, link=data["link"])
        occurrence = services.mark_occurrence_done(
            actor=request.user,
            occurrence=occurrence,
            on=data.get("done_on") or timezone.localdate(),
            evidence_kind=kind,
            note=data["note"],
            link=data["link"],
            file=upload,
        )
        return Response(OccurrenceSerializer(occurrence).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="file")
    def evidence_file(self, request, pk=None):
        """The uploaded proof (404 when the occurrence has none)."""
        occurrence = self.get_object()
        if not occurrence.evidence_file:
            raise Http404
        try:
            handle = occurrence.evidence_file.open("rb")
        except FileNotFoundError as exc:  # the row outlived its file (restored database, pruned media)
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, content_type="application/octet-stream")

    @extend_schema(request=WaiveSerializer, responses={200: OccurrenceSerializer})
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        """The coordinator excuses the occurrence, with a reason."""
        occurrence = self._open_for(can_waive)
        body = WaiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        occurrence = services.waive_occurrence(
            actor=request.user, occurrence=occurrence, reason=body.validated_data["reason"]
        )
        return Response(OccurrenceSerializer(occurrence).data)

    def _open_for(self, allowed) -> Occurrence:
        occurrence, _data = object_and_body(self, allowed)
        occurrence.check_open()  # a closed occurrence is 409 before its body is read (400)
        return occurrence


class DefinitionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """What the network owes: the same for everyone, so a list without tenancy."""

    queryset = ObligationDefinition.objects.all()
    serializer_class = DefinitionSerializer


class ComplianceRowSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_code = serializers.CharField(source="code")
    organization_name = serializers.CharField(source="name")
    total = serializers.IntegerField(help_text="Fell due in the last 12 months (waived ones apart).")
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Overdue now, however old.")
    open = serializers.IntegerField(help_text="Due and not yet late.")
    percent = serializers.IntegerField(allow_null=True, help_text="Share met on time; null: none fell due.")
    colour = serializers.ChoiceField(["ok", "warn", "danger"], help_text="The board's colour.")


class ComplianceSerializer(serializers.Serializer):
    """The compliance board (ungcuu.obligations.compliance.board): per organization the caller sees, the
    share met on time over the last 12 months, overdue first; and the overdue occurrences it lists."""

    today = serializers.DateField()
    rows = ComplianceRowSerializer(many=True)
    overdue = OccurrenceSerializer(many=True)


BOARD_EXPORT = OpenApiParameter(
    "download", str, enum=["csv", "xlsx"], description="The rows as a file (the page's exports); none: JSON."
)


class ComplianceViewSet(viewsets.GenericViewSet):
    """The compliance board, as the page computes it for the caller (everyone signed in; rows of the
    organizations they see)."""

    serializer_class = serializers.Serializer
    action_parameters = {"compliance": [BOARD_EXPORT]}

    def get_queryset(self):
        return Occurrence.objects.none()

    @extend_schema(
        responses={
            (200, "application/json"): ComplianceSerializer,
            (200, exports.CSV_TYPE): OpenApiTypes.BINARY,
            (200, exports.XLSX_TYPE): OpenApiTypes.BINARY,
        }
    )
    @action(detail=False, methods=["get"])
    def compliance(self, request):
        """Per organization the caller sees: due in the last 12 months, met on time, late, overdue now."""
        board = compliance.board(request.user, today=timezone.localdate())
        fmt = request.query_params.get("download")
        if fmt:
            content, content_type, filename = compliance.board_file(board.rows, fmt, now=board.today)
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return Response(ComplianceSerializer(board).data)


ROUTES = [
    ("obligations/occurrences", OccurrenceViewSet, "occurrence"),
    ("obligations/definitions", DefinitionViewSet, "obligationdefinition"),
    ("obligations", ComplianceViewSet, "obligation"),
]
