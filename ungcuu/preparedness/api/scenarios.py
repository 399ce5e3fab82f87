"""Scenarios through the API: the library and units' own, their steps, applying one to an incident."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.api.base import VisibleModelViewSet
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.incidents.models import Incident
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Organization
from ungcuu.preparedness import access, services
from ungcuu.preparedness.filters import ScenarioFilterSet
from ungcuu.preparedness.models import (
    PlaybookRun,
    Scenario,
    ScenarioStep,
)
from ungcuu.preparedness.models.scenarios import MAX_OFFSET_HOURS


def _many(model, scope=None):
    return ScopedRelatedField(model, scope=scope, many=True, required=False)


class StepSerializer(serializers.ModelSerializer):
    # Plain text checked by the service: these choices are callables (taxonomy, translated labels).
    stage = serializers.CharField(max_length=20)
    owner_role = serializers.CharField(max_length=40)
    due_offset_hours = serializers.IntegerField(
        min_value=0, max_value=MAX_OFFSET_HOURS, required=False, default=0
    )
    order = serializers.IntegerField(min_value=1, required=False)

    class Meta:
        model = ScenarioStep
        fields = ["order", "stage", "title", "detail", "owner_role", "due_offset_hours"]


class ScenarioSerializer(serializers.ModelSerializer):
    organization = ScopedRelatedField(
        Organization, scope=access.manageable_organizations, required=False, allow_null=True
    )
    category = serializers.CharField(max_length=40)
    steps = StepSerializer(many=True)
    is_library = serializers.BooleanField(read_only=True)

    class Meta:
        model = Scenario
        fields = [
            "id",
            "organization",
            "is_library",
            "category",
            "title",
            "description",
            "is_active",
            "steps",
        ]


class ApplySerializer(serializers.Serializer):
    incident = serializers.IntegerField()


class PlaybookRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlaybookRun
        fields = ["id", "incident", "scenario", "plan", "applied_by", "applied_at", "task_ids"]


class ScenarioUpdateSerializer(ScenarioSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # stays where it is
    category = serializers.CharField(max_length=40, required=False)
    steps = StepSerializer(many=True, required=False)


class ScenarioViewSet(VisibleModelViewSet):
    """The scenario library (organization null) and units' own scenarios; `apply` turns one into tasks.
    PATCH changes its text or state; `steps`, when given, replaces the steps (approved plans keep theirs)."""

    base_queryset = Scenario.objects.select_related("organization").prefetch_related("steps")
    serializer_class = ScenarioSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return ScenarioUpdateSerializer if self.action == "partial_update" else super().get_serializer_class()

    def partial_update(self, request, *args, **kwargs):
        require(access.can_edit_scenario(request.user, self.get_object()))  # before the body is read
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        steps = [dict(step) for step in data.pop("steps")] if "steps" in data else None
        serializer.instance = services.update_scenario(
            actor=self.request.user, scenario=serializer.instance, steps=steps, **data
        )

    filterset_class = ScenarioFilterSet  # the library page's `?q=`, `?group=`, and `?category=<code>`

    def create(self, request, *args, **kwargs):
        require(access.can_create_anything(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        steps = [dict(step) for step in data.pop("steps")]
        serializer.instance = services.create_scenario(actor=self.request.user, steps=steps, **data)

    @extend_schema(request=ApplySerializer, responses=PlaybookRunSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        scenario = self.get_object()
        body = ApplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = (
            Incident.objects.visible_to(request.user).filter(pk=body.validated_data["incident"]).first()
        )
        if incident is None:
            raise Http404
        existed = incident.playbook_runs.filter(scenario=scenario).exists()
        run = services.apply_scenario(actor=request.user, incident=incident, scenario=scenario)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(PlaybookRunSerializer(run).data, status=code)
