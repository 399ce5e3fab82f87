"""Drills through the API: plan or record, edit, cancel, findings and their follow-up actions."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.api.base import VisibleModelViewSet, object_and_body
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.inputs import route_id
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Organization
from ungcuu.preparedness import access, services
from ungcuu.preparedness.models import (
    Drill,
    DrillFinding,
    FollowUpAction,
    Scenario,
)
from ungcuu.systems.models import InformationSystem


def _many(model, scope=None):
    return ScopedRelatedField(model, scope=scope, many=True, required=False)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpAction
        fields = ["id", "description", "owner", "due_on", "status", "done_on", "closing_note"]
        read_only_fields = fields


class FollowUpInSerializer(serializers.Serializer):
    description = serializers.CharField()
    owner = ScopedRelatedField(Organization, scope=access.reachable_organizations)
    due_on = serializers.DateField()


class FindingInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    severity = serializers.ChoiceField(
        choices=DrillFinding.Severity.choices, default=DrillFinding.Severity.MEDIUM
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    follow_ups = FollowUpInSerializer(many=True, required=False, default=list)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CloseFollowUpSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


class FollowUpDetailSerializer(FollowUpSerializer):
    drill = serializers.IntegerField(source="finding.drill_id", read_only=True)
    finding = serializers.IntegerField(source="finding_id", read_only=True)

    class Meta(FollowUpSerializer.Meta):
        fields = [*FollowUpSerializer.Meta.fields, "drill", "finding"]
        read_only_fields = fields


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


class DrillUpdateSerializer(DrillSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)  # a drill stays with its organizer

    class Meta(DrillSerializer.Meta):
        fields = [f for f in DrillSerializer.Meta.fields if f not in ("held", "held_on", "summary")]
        read_only_fields = ["status", "created_at"]


class DrillViewSet(VisibleModelViewSet):
    """Drills: planned or recorded as held (`held: true`); `record` marks a planned one held, PATCH edits a
    planned one, `cancel` calls it off; a held drill takes findings with their follow-up actions."""

    base_queryset = Drill.objects.select_related("organization", "scenario").prefetch_related(
        "participants", "systems", "findings__actions"
    )
    serializer_class = DrillSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return DrillUpdateSerializer if self.action == "partial_update" else super().get_serializer_class()

    def partial_update(self, request, *args, **kwargs):
        require(access.can_edit_drill(request.user, self.get_object()))  # before the body is read
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = services.update_drill(
            actor=self.request.user, drill=serializer.instance, **serializer.validated_data
        )

    def _editable(self) -> Drill:
        drill = self.get_object()
        require(access.can_edit_drill(self.request.user, drill))
        return drill

    @extend_schema(request=CancelSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Call off a planned drill (409 otherwise); the reason is kept and the participants are told."""
        drill = self._editable()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        drill = services.cancel_drill(actor=request.user, drill=drill, reason=body.validated_data["reason"])
        return Response(self.get_serializer(drill).data)

    @extend_schema(request=FindingInSerializer, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        """What a held drill revealed (409 before it is held), with the actions that will fix it."""
        drill = self._editable()
        body = FindingInSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        finding = services.add_finding(
            actor=request.user,
            drill=drill,
            title=data["title"],
            severity=data["severity"],
            description=data["description"],
            follow_ups=[dict(f) for f in data["follow_ups"]],
        )
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpInSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path=r"findings/(?P<finding>[^/]+)/follow-ups")
    def follow_ups(self, request, pk=None, finding=""):
        """One more action for a finding of this drill, owned by an organization, due by a date."""
        drill = self._editable()
        found = drill.findings.filter(pk=route_id(finding)).first()
        if found is None:
            raise Http404
        body = FollowUpInSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        created = services.add_follow_up(actor=request.user, finding=found, **body.validated_data)
        return Response(FollowUpSerializer(created).data, status=status.HTTP_201_CREATED)

    def create(self, request, *args, **kwargs):
        require(access.can_create_anything(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.create_drill(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=RecordSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        drill, data = object_and_body(self, access.can_edit_drill, RecordSerializer)
        drill = services.record_drill(actor=request.user, drill=drill, **data)
        return Response(self.get_serializer(drill).data)


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Drills' follow-up actions the caller sees (with their drill), open first then by due date; the owner
    unit's responders (or the drill's organizer) close one with `close`."""

    serializer_class = FollowUpDetailSerializer
    # Closing is the owner unit reporting its own work done (like an obligation filing): "report".
    token_scopes = {"close": TokenScope.REPORT}

    def get_queryset(self):
        visible = FollowUpAction.objects.visible_to(self.request.user)
        return visible.select_related("finding__drill__organization", "owner").order_by(
            "status", "due_on", "id"
        )

    @extend_schema(request=CloseFollowUpSerializer, responses=FollowUpDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Report the action done (409 if already closed)."""
        found, data = object_and_body(self, access.can_close_follow_up, CloseFollowUpSerializer)
        closed = services.close_follow_up(actor=request.user, action=found, **data)
        return Response(self.get_serializer(closed).data)
