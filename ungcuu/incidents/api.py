"""Door (c): `POST /api/v1/incidents/` with a token, plus reading and moving incidents under the same gate."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.api.base import form_filters, valid_filters
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.pagination import CappedPageNumberPagination
from ungcuu.core import taxonomy
from ungcuu.incidents import services
from ungcuu.incidents.access import can_handle
from ungcuu.incidents.forms import IncidentFilterForm
from ungcuu.incidents.models import Incident, IncidentReport, Status
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "status",
            "category",
            "severity",
            "severity_reasons",
            "severity_override_reason",
            "harms",
            "exceeds_capacity",
            "crime_signs",
            "secret_target",
            "system",
            "operator",
            "owner",
            "detected_at",
            "reported_at",
            "acknowledged_at",
            "classified_at",
            "closed_at",
            "confidential",
            "tlp",
            "merged_into",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.Serializer):
    """The fields of form 03 an API client sends; the reporter defaults to the token's user."""

    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    detected_at = serializers.DateTimeField()
    organization = ScopedRelatedField(Organization)
    system = ScopedRelatedField(InformationSystem, required=False, allow_null=True)
    category = serializers.CharField(required=False, allow_blank=True, default="")
    harms = serializers.ListField(
        child=serializers.ChoiceField(Incident.Harm.choices), required=False, default=list
    )
    exceeds_capacity = serializers.BooleanField(required=False, default=False)
    crime_signs = serializers.BooleanField(required=False, default=False)
    confidential = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_email = serializers.EmailField(required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="")
    form03 = serializers.DictField(
        required=False, default=dict, help_text="Other form 03 fields, kept as sent."
    )
    idempotency_key = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)

    def validate_category(self, value):
        if value and value not in taxonomy.incident_categories():
            raise serializers.ValidationError(_("Unknown incident category."))
        return value

    def to_input(self, user) -> services.ReportInput:
        data = dict(self.validated_data)
        return services.ReportInput(
            channel=IncidentReport.Channel.API,
            title=data["title"],
            description=data["description"],
            detected_at=data["detected_at"],
            reporter_name=data["reporter_name"] or str(user),
            reporter_email=data["reporter_email"] or user.email,
            reporter_phone=data["reporter_phone"],
            organization=data["organization"],
            system=data.get("system"),
            category=data["category"],
            harms=tuple(data["harms"]),
            exceeds_capacity=data["exceeds_capacity"],
            crime_signs=data["crime_signs"],
            confidential=data["confidential"],
            form_data=data["form03"],
            idempotency_key=data["idempotency_key"],
        )


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents visible to the caller; creating one is reporting it (the same service as the web form)."""

    serializer_class = IncidentSerializer
    filters = form_filters(IncidentFilterForm)
    pagination_class = CappedPageNumberPagination  # a million incidents are not counted per request

    def get_queryset(self):
        """The incident list's filters apply here too (`?q=`, `?status=`, `?severity=`, `?overdue=on`, …)."""
        filters = valid_filters(IncidentFilterForm(self.request.query_params or None, user=self.request.user))
        return filters.apply(Incident.objects.visible_to(self.request.user)).order_by("-reported_at", "-id")

    @extend_schema(request=ReportSerializer, responses={201: IncidentSerializer})
    def create(self, request):
        body = ReportSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        report = services.submit_report(actor=request.user, data=body.to_input(request.user))
        return Response(IncidentSerializer(report.incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        incident = self.get_object()
        access.require(can_handle(request.user, incident))  # before the body is read
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = services.change_status(actor=request.user, incident=incident, **body.validated_data)
        return Response(IncidentSerializer(incident).data)


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [("incidents", IncidentViewSet, "incident")]
