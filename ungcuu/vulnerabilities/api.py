"""Vulnerability API: scans (list, retrieve, multipart import) and findings (list, retrieve, filters)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.api.base import VisibleModelViewSet
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.vulnerabilities import services
from ungcuu.vulnerabilities.filters import FindingFilterSet
from ungcuu.vulnerabilities.models import Finding, Scan, ScanHost, Tool
from ungcuu.vulnerabilities.uploads import ScanTooLarge, body_too_large, install_limit


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The file is too large.")
    default_code = "too_large"


class ScanHostSerializer(serializers.ModelSerializer):
    system_name = serializers.CharField(source="system.name", default=None, read_only=True)

    class Meta:
        model = ScanHost
        fields = ["id", "ip", "hostname", "ports", "system", "system_name", "matched_by"]
        read_only_fields = fields


class ScanSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = Scan
        fields = [
            "id",
            "organization",
            "organization_name",
            "tool",
            "file_name",
            "sha256",
            "size",
            "report_name",
            "scanner_version",
            "started_at",
            "finished_at",
            "observed_at",
            "is_full",
            "uploaded_by",
            "uploaded_at",
            "host_count",
            "matched_host_count",
            "result_count",
            "new_count",
            "fixed_count",
            "reopened_count",
            "severity_counts",
        ]
        read_only_fields = fields


class ScanDetailSerializer(ScanSerializer):
    hosts = ScanHostSerializer(many=True, read_only=True)

    class Meta(ScanSerializer.Meta):
        fields = [*ScanSerializer.Meta.fields, "hosts"]
        read_only_fields = fields


class ScanUploadSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    # Empty files reach the service, which gives the same "empty" message as the page.
    file = serializers.FileField(allow_empty_file=True)
    tool = serializers.ChoiceField(choices=Tool.choices, required=False, allow_blank=True, default="")
    is_full = serializers.BooleanField(required=False, default=True)


class ScanViewSet(VisibleModelViewSet):
    """Scans of the organizations the caller sees; POST imports a report (multipart: organization, file)."""

    base_queryset = Scan.objects.select_related("organization", "uploaded_by")
    serializer_class = ScanSerializer
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]
    token_scopes = {"create": TokenScope.REPORT}  # a unit's scanner sends its reports

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.prefetch_related("hosts__system") if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return {"create": ScanUploadSerializer, "retrieve": ScanDetailSerializer}.get(
            self.action, ScanSerializer
        )

    def initial(self, request, *args, **kwargs):
        # Before authentication reads the body: an announced body over the limit is refused unread, and the
        # counting handler stops a body that grows past it.
        if request.method == "POST":
            if body_too_large(request.META):
                raise PayloadTooLarge(ScanTooLarge().message_dict)
            self.upload_limit = install_limit(request._request)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": ScanUploadSerializer}, responses={201: ScanDetailSerializer}
    )
    def create(self, request, *args, **kwargs):
        upload = ScanUploadSerializer(data=request.data)
        if self.upload_limit.exceeded:
            raise PayloadTooLarge(ScanTooLarge().message_dict)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        organization = access.get_visible_or_404(Organization.objects, request.user, pk=data["organization"])
        try:
            scan = services.import_scan(
                actor=request.user,
                organization=organization,
                uploaded_file=data["file"],
                tool=data["tool"] or None,
                is_full=data["is_full"],
            )
        except ScanTooLarge as exc:
            raise PayloadTooLarge(exc.message_dict) from exc
        body = ScanDetailSerializer(scan, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="VulnerabilityFinding")  # preparedness has drill findings
class FindingSerializer(serializers.ModelSerializer):
    system_name = serializers.CharField(source="system.name", read_only=True)
    organization = serializers.IntegerField(source="system.operator_id", read_only=True)
    organization_name = serializers.CharField(source="system.operator.name", read_only=True)
    owner_user = serializers.StringRelatedField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "system",
            "system_name",
            "organization",
            "organization_name",
            "tool",
            "check_id",
            "port",
            "protocol",
            "name",
            "severity",
            "cvss_score",
            "cvss_vector",
            "cve_ids",
            "description",
            "solution",
            "status",
            "status_reason",
            "risk_expires_on",
            "first_seen",
            "last_seen",
            "last_scan",
            "due_on",
            "is_overdue",
            "owner_organization",
            "owner_user",
        ]
        read_only_fields = fields


class FindingViewSet(VisibleModelViewSet):
    """Findings on the systems the caller sees, with the same filters as the findings page."""

    base_queryset = Finding.objects.select_related("system__operator", "owner_user")
    serializer_class = FindingSerializer
    http_method_names = ["get", "head", "options"]
    filterset_class = FindingFilterSet


ROUTES = [("scans", ScanViewSet, "scan"), ("findings", FindingViewSet, "finding")]
