"""Door (c): `POST /api/v1/incidents/` with a token, plus reading and moving incidents under the same gate."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import User
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.pagination import CappedPageNumberPagination
from ungcuu.core import taxonomy
from ungcuu.incidents import bulk, closing, services
from ungcuu.incidents.access import can_handle
from ungcuu.incidents.filters import IncidentFilterSet
from ungcuu.incidents.models import Incident, IncidentReport, Status
from ungcuu.organizations import access
from ungcuu.organizations.access import is_coordinator
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
            "is_reported_late",
        ]
        read_only_fields = fields

    # DOMAIN.md §d, QĐ05 Art. 11.1a: the 5-day rule, answered by the queryset's annotation.
    is_reported_late = serializers.BooleanField(read_only=True, default=False)


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


class CloseSerializer(serializers.Serializer):
    """The closing check (issue 15): what happens to open tasks; live requests close with the incident."""

    decision = serializers.ChoiceField(
        choices=closing.Decision.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BulkSerializer(serializers.Serializer):
    """The list's bulk actions (issue 15); hidden ids are skipped, each row answers for itself."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=bulk.MAX_ROWS,
    )
    action = serializers.ChoiceField(choices=bulk.Action.choices)
    handler = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    done = serializers.BooleanField()
    reason = serializers.CharField()


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents visible to the caller; creating one is reporting it (the same service as the web form)."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet  # the list page's filters (`?q=`, `?status=open`, `?overdue=on`, …)
    pagination_class = CappedPageNumberPagination  # a million incidents are not counted per request

    def get_queryset(self):
        return Incident.objects.visible_to(self.request.user).order_by("-reported_at", "-id")

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

    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer(many=True))
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request):
        """Acknowledge or assign several incidents; one result per visible incident."""
        access.require(is_coordinator(request.user))  # before the body is read
        body = BulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        handler = None
        if "handler" in data:
            handler = User.objects.filter(pk=data["handler"], is_active=True).first()
            if handler is None:
                raise ValidationError({"handler": [_("Unknown handler.")]})
        rows = list(Incident.objects.visible_to(request.user).filter(pk__in=data["ids"]).order_by("pk"))
        if not rows:
            raise ValidationError({"ids": [_("None of these incidents is visible to you.")]})
        outcomes = bulk.run_bulk(actor=request.user, incidents=rows, action=data["action"], handler=handler)
        results = [
            {"id": o.incident.pk, "reference": o.incident.reference, "done": o.done, "reason": o.reason}
            for o in outcomes
        ]
        return Response(BulkResultSerializer(results, many=True).data)

    @extend_schema(request=CloseSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close with the closing check: 409 while open work has no decision, 400 without a reason."""
        incident = self.get_object()
        access.require(can_handle(request.user, incident))  # before the body is read
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = closing.close_incident(actor=request.user, incident=incident, **body.validated_data)
        return Response(IncidentSerializer(incident).data)


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [("incidents", IncidentViewSet, "incident")]
