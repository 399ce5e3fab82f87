"""API for the information-systems registry, calling the same services as the UI."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.api.base import VisibleModelViewSet
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.systems import services
from ungcuu.systems.filters import SystemFilterSet
from ungcuu.systems.models import InformationSystem, SoftwareProduct
from ungcuu.systems.validators import normalize_domains, normalize_ips


class SoftwareSerializer(serializers.ModelSerializer):
    class Meta:
        model = SoftwareProduct
        fields = ["vendor", "product", "version", "cpe"]


class InformationSystemSerializer(serializers.ModelSerializer):
    software = SoftwareSerializer(many=True, required=False)
    services = serializers.ListField(
        child=serializers.ChoiceField(InformationSystem.Service.choices), required=False
    )
    controls = serializers.ListField(
        child=serializers.ChoiceField(InformationSystem.Control.choices), required=False
    )
    public_ips = serializers.ListField(child=serializers.CharField(), required=False)
    domains = serializers.ListField(child=serializers.CharField(), required=False)
    security_level = serializers.ChoiceField(choices=[1, 2, 3, 4, 5])
    operator = ScopedRelatedField(Organization)
    # Who may own a system is the service's rule (an owning body or an organization the caller sees).
    owner = ScopedRelatedField(Organization, scope=lambda user: services.possible_owners(user))
    contacts = ScopedRelatedField(FocalPoint, many=True, required=False)

    class Meta:
        model = InformationSystem
        fields = [
            "id",
            "name",
            "owner",
            "operator",
            "purpose",
            "system_type",
            "security_level",
            "dossier_state",
            "decision_number",
            "decision_date",
            "appraisal_note",
            "is_critical_national",
            "hosting",
            "security_provider",
            "connectivity_provider",
            "os_name",
            "os_version",
            "services",
            "controls",
            "public_ips",
            "domains",
            "contacts",
            "software",
            "last_vuln_scan_on",
            "last_drill_on",
            "last_plan_update_on",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "dossier_state",
            "decision_number",
            "decision_date",
            "appraisal_note",
            "created_at",
            "updated_at",
        ]

    def validate_public_ips(self, value):
        return _as_drf(normalize_ips, value)

    def validate_domains(self, value):
        return _as_drf(normalize_domains, value)


def _as_drf(func, value):
    try:
        return func(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from exc


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(required=False, max_length=100)
    decision_date = serializers.DateField(required=False)


class InformationSystemViewSet(VisibleModelViewSet):
    """Registered information systems; the dossier decisions are actions, not field edits."""

    base_queryset = InformationSystem.objects.select_related("owner", "operator").prefetch_related("software")
    serializer_class = InformationSystemSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = SystemFilterSet  # the registry page's filters: `?q=`, `?level=`, `?state=`, …

    def get_queryset(self):
        return super().get_queryset().order_by("name")

    def perform_create(self, serializer):
        serializer.instance = services.register_system(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_system(
            actor=self.request.user, system=serializer.instance, **serializer.validated_data
        )

    def _decide(self, request, pk, func, required: tuple[str, ...]):
        system = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        missing = [f for f in required if not values.get(f)]
        if missing:
            return Response(
                {f: [_("This field is required.")] for f in missing}, status=status.HTTP_400_BAD_REQUEST
            )
        if "decision_number" not in required:
            values.pop("decision_number", None)
            values.pop("decision_date", None)
        system = func(actor=request.user, system=system, **values)
        return Response(self.get_serializer(system).data)

    @extend_schema(request=DecisionSerializer, responses=InformationSystemSerializer)
    @action(detail=True, methods=["post"])
    def appraise(self, request, pk=None):
        return self._decide(request, pk, services.appraise_dossier, ())

    @extend_schema(request=DecisionSerializer, responses=InformationSystemSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, services.approve_level, ("decision_number", "decision_date"))

    @extend_schema(request=DecisionSerializer, responses=InformationSystemSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_dossier(self, request, pk=None):
        return self._decide(request, pk, services.return_dossier, ("note",))


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [("systems", InformationSystemViewSet, "system")]
