"""Vulnerability API: scans (list, retrieve, multipart import, attach an unmatched host to a system) and
findings (list, retrieve, filters, the page's CSV/XLSX export, the finding page's decisions)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ungcuu.accounts.models import TokenScope
from ungcuu.api.base import VisibleModelViewSet, object_and_body
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.inputs import route_id
from ungcuu.core.exports import CSV_TYPE, XLSX_TYPE
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.vulnerabilities import exports, services
from ungcuu.vulnerabilities.access import can_accept_risk, can_import, can_triage, triageable_systems
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


class AssignHostSerializer(serializers.Serializer):
    """The page's assign form: a system the caller may attach hosts to (another is refused as missing)."""

    system = ScopedRelatedField(InformationSystem, scope=triageable_systems)


class ScanViewSet(VisibleModelViewSet):
    """Scans of the organizations the caller sees; POST imports a report (multipart: organization, file)."""

    base_queryset = Scan.objects.select_related("organization", "uploaded_by")
    serializer_class = ScanSerializer
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]
    # A unit's scanner sends its reports; attaching a host is a person's decision, as on the scan page.
    token_scopes = {"create": TokenScope.REPORT, "assign_host": TokenScope.COORDINATE}

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

    # A JSON body like every other action (the scan's own POST is a file upload).
    @extend_schema(request=AssignHostSerializer, responses=ScanHostSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"hosts/(?P<host>[^/]+)/assign",
        parser_classes=api_settings.DEFAULT_PARSER_CLASSES,
    )
    def assign_host(self, request, pk=None, host=None):
        """Attach a host no system matched to a registered system (the scan's organization's responders
        or a coordinator); what the scan found on it becomes that system's findings. 400 if attached."""
        scan, data = object_and_body(
            self, lambda user, scan: can_import(user, scan.organization), AssignHostSerializer
        )
        found = scan.hosts.filter(pk=route_id(host)).first()
        if found is None:
            raise Http404
        found = services.assign_host(actor=request.user, host=found, system=data["system"])
        return Response(ScanHostSerializer(found, context=self.get_serializer_context()).data)


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


class AcceptRiskSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)
    expires_on = serializers.DateField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class OwnerSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=2**31 - 1, allow_null=True)


EXPORT_FORMAT = OpenApiParameter(
    "as", str, enum=["csv", "xlsx"], default="csv", description="The file's format: csv (default) or xlsx."
)


def _on_system(permission):
    """A finding's permission is its system's: `object_and_body`'s `allowed(user, finding)`."""
    return lambda user, finding: permission(user, finding.system)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Findings on the systems the caller sees, with the same filters as the findings page; the finding
    page's decisions as actions (findings themselves come from scans only)."""

    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    filterset_actions = {"export"}  # the page's export takes the findings page's filters
    action_parameters = {"export": [EXPORT_FORMAT]}
    # Triage and risk decisions are people's decisions, not a scanner's: never on a `report` token.
    token_scopes = {
        "accept_risk": TokenScope.COORDINATE,
        "false_positive": TokenScope.COORDINATE,
        "reopen": TokenScope.COORDINATE,
        "owner": TokenScope.COORDINATE,
    }

    def get_queryset(self):
        return Finding.objects.select_related("system__operator", "owner_user").visible_to(self.request.user)

    @extend_schema(responses={(200, CSV_TYPE): OpenApiTypes.BINARY, (200, XLSX_TYPE): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        """The findings page's export: the findings the filters select, as CSV (UTF-8) or XLSX."""
        rows = self.filter_queryset(self.get_queryset())
        if request.query_params.get("as") == "xlsx":
            return exports.xlsx_response(rows)
        return exports.csv_response(rows)

    def _decide(self, request, permission, body_class, service, **extra):
        """The page's order: the finding (404), the permission (403), the body (400), the service."""
        finding, data = object_and_body(
            self, lambda user, finding: permission(user, finding.system), body_class
        )
        finding = service(actor=request.user, finding=finding, **data, **extra)
        return Response(FindingSerializer(finding, context=self.get_serializer_context()).data)

    @extend_schema(request=AcceptRiskSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"], url_path="accept-risk")
    def accept_risk(self, request, pk=None):
        """Management accepts the weakness until a date (after it the finding is open again)."""
        return self._decide(request, can_accept_risk, AcceptRiskSerializer, services.accept_risk)

    @extend_schema(request=ReasonSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"], url_path="false-positive")
    def false_positive(self, request, pk=None):
        """The unit shows the scanner was wrong (with how it checked)."""
        return self._decide(request, can_triage, ReasonSerializer, services.mark_false_positive)

    @extend_schema(request=ReopenSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Back to open: an acceptance withdrawn, a false positive after all, a fix not confirmed."""
        return self._decide(request, can_triage, ReopenSerializer, services.reopen_finding)

    @extend_schema(request=OwnerSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def owner(self, request, pk=None):
        """Name the person who remedies it (a member of the system's owner or operator), or nobody."""
        finding, data = object_and_body(
            self, lambda user, finding: can_triage(user, finding.system), OwnerSerializer
        )
        user = None
        if data["user"] is not None:
            user = services.responsible_people(finding).filter(pk=data["user"]).first()
            if user is None:  # the service's message, whether or not such an account exists
                raise DjangoValidationError(
                    {"user": [gettext("Choose a member of the system's owner or operating organization.")]}
                )
        finding = services.set_finding_owner(actor=request.user, finding=finding, user=user)
        return Response(FindingSerializer(finding, context=self.get_serializer_context()).data)


ROUTES = [("scans", ScanViewSet, "scan"), ("findings", FindingViewSet, "finding")]
