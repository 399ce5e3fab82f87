"""API for response plans, scenarios (and applying one to an incident) and drills: the UI's gate and services.

Status codes: 404 hidden, 403 visible but not allowed, 400 bad body, 409 wrong state. Related objects are
offered only from what the caller can see, so a hidden system is "does not exist", like a missing one.
"""

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
from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.preparedness import access, services
from ungcuu.preparedness.filters import PlanFilterSet, ScenarioFilterSet
from ungcuu.preparedness.models import (
    Drill,
    DrillFinding,
    FollowUpAction,
    PlaybookRun,
    ResponsePlan,
    Scenario,
    ScenarioStep,
)
from ungcuu.preparedness.models.scenarios import MAX_OFFSET_HOURS
from ungcuu.systems.models import InformationSystem


def _many(model, scope=None):
    return ScopedRelatedField(model, scope=scope, many=True, required=False)


# --- plans ------------------------------------------------------------------------------------------


class ResponsePlanSerializer(serializers.ModelSerializer):
    organization = ScopedRelatedField(Organization, scope=access.manageable_organizations)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    systems = _many(InformationSystem)
    scenarios = _many(Scenario)
    people = _many(FocalPoint)
    resources = serializers.JSONField(required=False)
    is_out_of_date = serializers.BooleanField(read_only=True)
    version = serializers.SerializerMethodField()

    class Meta:
        model = ResponsePlan
        fields = [
            "id",
            "title",
            "organization",
            "organization_name",
            "systems",
            "scenarios",
            "scope",
            "severity_criteria",
            "roles",
            "people",
            "resources",
            "budget_estimate",
            "external_contacts",
            "status",
            "drafted_on",
            "approved_by_name",
            "approved_by_title",
            "approved_on",
            "decision_number",
            "review_due_on",
            "last_reviewed_on",
            "is_out_of_date",
            "replaces",
            "version",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "approved_by_name",
            "approved_by_title",
            "approved_on",
            "decision_number",
            "review_due_on",
            "last_reviewed_on",
            "replaces",
            "created_at",
        ]

    def get_version(self, plan: ResponsePlan) -> int:
        latest = plan.versions.order_by("-number").values_list("number", flat=True).first()
        return latest or 0


class ApproveSerializer(serializers.Serializer):
    approved_by_name = serializers.CharField(max_length=200)
    approved_by_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(max_length=100)
    approved_on = serializers.DateField(required=False, allow_null=True, default=None)
    review_due_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResponsePlanViewSet(VisibleModelViewSet):
    """Response plans. A draft is created here and approved with `approve`; `?status=` filters."""

    base_queryset = ResponsePlan.objects.select_related("organization").prefetch_related(
        "systems", "scenarios", "people"
    )
    serializer_class = ResponsePlanSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = PlanFilterSet  # the plans page's `?status=` and `?q=`

    def create(self, request, *args, **kwargs):
        # Forbidden before the body is read: a read-only member learns nothing from validation errors.
        require(access.can_create_anything(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.create_plan(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=ApproveSerializer, responses=ResponsePlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = self.get_object()
        require(access.can_edit_plan(request.user, plan))
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.approve_plan(actor=request.user, plan=plan, **body.validated_data)
        return Response(self.get_serializer(plan).data)


# --- scenarios --------------------------------------------------------------------------------------


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


class ScenarioViewSet(VisibleModelViewSet):
    """The scenario library (organization null) and units' own scenarios; `apply` turns one into tasks."""

    base_queryset = Scenario.objects.select_related("organization").prefetch_related("steps")
    serializer_class = ScenarioSerializer
    http_method_names = ["get", "post", "head", "options"]
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


# --- drills -----------------------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpAction
        fields = ["id", "description", "owner", "due_on", "status", "done_on"]


class FindingSerializer(serializers.ModelSerializer):
    actions = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = DrillFinding
        fields = ["id", "title", "severity", "description", "actions"]


class DrillSerializer(serializers.ModelSerializer):
    organization = ScopedRelatedField(Organization, scope=access.manageable_organizations)
    participants = _many(Organization, scope=access.reachable_organizations)
    systems = _many(InformationSystem)
    scenario = ScopedRelatedField(Scenario, required=False, allow_null=True)
    held = serializers.BooleanField(write_only=True, required=False, default=False)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Drill
        fields = [
            "id",
            "title",
            "kind",
            "organization",
            "participants",
            "systems",
            "scenario",
            "scheduled_on",
            "status",
            "held",
            "held_on",
            "objectives",
            "summary",
            "findings",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]


class RecordSerializer(serializers.Serializer):
    held_on = serializers.DateField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class DrillViewSet(VisibleModelViewSet):
    """Drills: planned or recorded as held (`held: true`); `record` marks a planned one held."""

    base_queryset = Drill.objects.select_related("organization", "scenario").prefetch_related(
        "participants", "systems", "findings__actions"
    )
    serializer_class = DrillSerializer
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        require(access.can_create_anything(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.create_drill(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=RecordSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        drill = self.get_object()
        require(access.can_edit_drill(request.user, drill))
        body = RecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        drill = services.record_drill(actor=request.user, drill=drill, **body.validated_data)
        return Response(self.get_serializer(drill).data)


ROUTES = [
    ("response-plans", ResponsePlanViewSet, "responseplan"),
    ("scenarios", ScenarioViewSet, "scenario"),
    ("drills", DrillViewSet, "drill"),
]
