"""API for coordination requests: the same gate and services as the UI.

Status codes of the actions: 404 hidden, 403 visible but not allowed, 400 bad body, 409 wrong state.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.api.base import VisibleModelViewSet, object_and_body
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.coordination import services
from ungcuu.coordination.access import can_close, can_respond, can_send
from ungcuu.coordination.filters import RequestFilterSet
from ungcuu.coordination.models import CoordinationRequest, Outcome
from ungcuu.incidents.models import Incident
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization


class CoordinationRequestSerializer(serializers.ModelSerializer):
    incident = ScopedRelatedField(Incident)
    recipient = ScopedRelatedField(
        Organization, scope=lambda user: Organization.objects.visible_to(user).filter(is_active=True)
    )
    also_to = serializers.ListField(
        child=ScopedRelatedField(
            Organization, scope=lambda user: Organization.objects.visible_to(user).filter(is_active=True)
        ),
        required=False,
        write_only=True,
        max_length=20,
        help_text="More recipients of the same request: each gets its own (the answer shows the first; "
        "list them with ?incident=).",
    )
    targets = serializers.ListField(child=serializers.CharField(max_length=2000), required=False)
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    incident_reference = serializers.CharField(source="incident.reference", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = CoordinationRequest
        fields = [
            "id",
            "reference",
            "incident",
            "incident_reference",
            "issuer",
            "issued_by",
            "recipient",
            "also_to",
            "kind",
            "required_actions",
            "targets",
            "deadline",
            "confidential",
            "status",
            "is_overdue",
            "acknowledged_at",
            "acknowledged_by",
            "answer",
            "answered_at",
            "answered_by",
            "outcome",
            "created_at",
            "available_actions",
        ]
        read_only_fields = [
            "reference",
            "issuer",
            "issued_by",
            "status",
            "acknowledged_at",
            "acknowledged_by",
            "answer",
            "answered_at",
            "answered_by",
            "outcome",
            "created_at",
        ]

    def get_available_actions(self, obj: CoordinationRequest) -> list[str]:
        return sorted(services.available_actions(self.context["request"].user, obj))


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)
    outcome = serializers.ChoiceField(choices=Outcome.choices)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class CoordinationRequestViewSet(VisibleModelViewSet):
    """Form-06 coordination requests; the coordinator sends them, recipients acknowledge and answer.

    List filters: `?incident=<id>`, `?status=<status>`, `?overdue=1`.
    """

    base_queryset = CoordinationRequest.objects.select_related("incident", "recipient", "issuer")
    serializer_class = CoordinationRequestSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = (
        RequestFilterSet  # the page's `?status=` (`awaiting` too), `?overdue=`, and `?incident=`
    )

    def create(self, request, *args, **kwargs):
        # Forbidden before the body is looked at: a unit learns nothing from its validation errors.
        access.require(can_send(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        recipients = [data.pop("recipient"), *data.pop("also_to", [])]
        sent = services.send_requests(actor=self.request.user, recipients=recipients, **data)
        serializer.instance = sent[0]

    def _act(self, request, allowed, service, body_class=None, rename: dict | None = None):
        """The shared order (404, 403, 400), then the service; `rename` maps body fields to its arguments."""
        req, data = object_and_body(self, allowed, body_class)
        values = {(rename or {}).get(k, k): v for k, v in data.items()}
        req = service(actor=request.user, request=req, **values)
        return Response(self.get_serializer(req).data)

    @extend_schema(request=None, responses=CoordinationRequestSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._act(request, can_respond, services.acknowledge_request)

    @extend_schema(request=AnswerSerializer, responses=CoordinationRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._act(request, can_respond, services.answer_request, AnswerSerializer)

    @extend_schema(request=DeclineSerializer, responses=CoordinationRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(request, can_respond, services.decline_request, DeclineSerializer)

    @extend_schema(request=NoteSerializer, responses=CoordinationRequestSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(request, can_close, services.complete_request, NoteSerializer)

    @extend_schema(request=NoteSerializer, responses=CoordinationRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(
            request, can_close, services.cancel_request, NoteSerializer, rename={"note": "reason"}
        )


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [("coordination-requests", CoordinationRequestViewSet, "coordinationrequest")]
