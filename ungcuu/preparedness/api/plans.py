"""Response plans through the API: create, edit a draft, approve, review, revise, versions, .docx."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.api.base import VisibleModelViewSet, object_and_body
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.inputs import route_id
from ungcuu.organizations.access import require
from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.preparedness import access, services
from ungcuu.preparedness.filters import PlanFilterSet
from ungcuu.preparedness.models import (
    PlanVersion,
    ResponsePlan,
    Scenario,
)
from ungcuu.preparedness.render import DOCX_MIME, render_plan_docx
from ungcuu.preparedness.views.common import filename
from ungcuu.systems.models import InformationSystem


def _many(model, scope=None):
    return ScopedRelatedField(model, scope=scope, many=True, required=False)


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


class PlanUpdateSerializer(ResponsePlanSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)  # a plan stays with its unit


class ReviewSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PlanVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()

    class Meta:
        model = PlanVersion
        fields = ["id", "number", "reason", "status", "review_due_on", "note", "created_at", "created_by"]


class PlanVersionDetailSerializer(PlanVersionSerializer):
    class Meta(PlanVersionSerializer.Meta):
        fields = [*PlanVersionSerializer.Meta.fields, "snapshot"]


DOCX_RESPONSE = {(200, DOCX_MIME): OpenApiTypes.BINARY}


def _docx(snapshot: dict, number: int) -> HttpResponse:
    """The same file as the page's (ungcuu.preparedness.render), under the same name."""
    response = HttpResponse(render_plan_docx(snapshot, version=number), content_type=DOCX_MIME)
    name = filename(
        "phuong an", snapshot["organization"]["code"], snapshot["title"], f"v{number}", ext="docx"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ResponsePlanViewSet(VisibleModelViewSet):
    """Response plans. A draft is created here, edited with PATCH and approved with `approve`; the plan in
    force is reviewed yearly (`review`) or revised into a new draft (`revise`); `?status=` filters."""

    base_queryset = ResponsePlan.objects.select_related("organization").prefetch_related(
        "systems", "scenarios", "people"
    )
    serializer_class = ResponsePlanSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = PlanFilterSet  # the plans page's `?status=` and `?q=`

    def get_serializer_class(self):
        return PlanUpdateSerializer if self.action == "partial_update" else super().get_serializer_class()

    def partial_update(self, request, *args, **kwargs):
        # Forbidden before the body is read, as on the edit page.
        require(access.can_edit_plan(request.user, self.get_object()))
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = services.update_plan(
            actor=self.request.user, plan=serializer.instance, **serializer.validated_data
        )

    def create(self, request, *args, **kwargs):
        # Forbidden before the body is read: a read-only member learns nothing from validation errors.
        require(access.can_create_anything(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.create_plan(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=ApproveSerializer, responses=ResponsePlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan, data = object_and_body(self, access.can_edit_plan, ApproveSerializer)
        plan = services.approve_plan(actor=request.user, plan=plan, **data)
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=ReviewSerializer, responses=ResponsePlanSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The yearly review of the plan in force (409 for a draft); the next review falls a year later."""
        plan, data = object_and_body(self, access.can_edit_plan, ReviewSerializer)
        plan = services.review_plan(actor=request.user, plan=plan, **data)
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=None, responses={201: ResponsePlanSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """A new draft from the plan in force (the one already started, if any); the plan stays in force."""
        plan = self.get_object()
        require(access.can_edit_plan(request.user, plan))
        draft = services.revise_plan(actor=request.user, plan=plan)
        return Response(self.get_serializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PlanVersionSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request, pk=None):
        """Every saved version, newest first (each save, approval and review)."""
        versions = self.get_object().versions.select_related("created_by").order_by("-number")
        return Response(PlanVersionSerializer(versions, many=True).data)

    def _version(self, version: str) -> PlanVersion:
        found = self.get_object().versions.select_related("created_by").filter(pk=route_id(version)).first()
        if found is None:
            raise Http404
        return found

    @extend_schema(responses=PlanVersionDetailSerializer)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<version>[^/]+)")
    def version(self, request, pk=None, version=""):
        """One version with the plan's snapshot as approved or saved then."""
        return Response(PlanVersionDetailSerializer(self._version(version)).data)

    @extend_schema(responses=DOCX_RESPONSE)
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        """The plan as it stands (a draft: what would be approved), numbered as its latest version."""
        plan = self.get_object()
        latest = plan.versions.order_by("-number").first()
        return _docx(plan.snapshot(), latest.number if latest else 1)

    @extend_schema(responses=DOCX_RESPONSE)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<version>[^/]+)/docx")
    def version_docx(self, request, pk=None, version=""):
        """One version's document, as it was then."""
        found = self._version(version)
        return _docx(found.snapshot, found.number)
