"""The readiness overview through the API: the page's own rows and totals (ungcuu.preparedness.readiness),
for the organizations the caller sees (the coordinator: all)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.organizations.models import Organization
from ungcuu.preparedness.readiness import (
    GAP_DRILL,
    GAP_FOLLOW_UP,
    GAP_PLAN,
    GAP_TRAINING,
    WINDOW_DAYS,
    readiness_rows,
    totals,
)

GAPS = [GAP_PLAN, GAP_DRILL, GAP_TRAINING, GAP_FOLLOW_UP]


class ReadinessRowSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    organization_code = serializers.CharField(source="organization.code")
    organization_name = serializers.CharField(source="organization.name")
    trained_people = serializers.IntegerField()
    drills = serializers.IntegerField()
    live_fire_drills = serializers.IntegerField()
    plans_current = serializers.IntegerField()
    plans_out_of_date = serializers.IntegerField()
    plans_draft = serializers.IntegerField()
    systems = serializers.IntegerField()
    systems_with_plan = serializers.IntegerField()
    high_level_systems = serializers.IntegerField()
    high_level_drilled = serializers.IntegerField()
    open_follow_ups = serializers.IntegerField()
    overdue_follow_ups = serializers.IntegerField()
    gaps = serializers.ListField(
        child=serializers.ChoiceField(GAPS),
        help_text="What keeps the organization from being ready: a system without a plan in force (plan), "
        "a level-3+ system not drilled live (live_fire), systems but nobody trained (training), an "
        "overdue follow-up action (follow_up).",
    )
    is_ready = serializers.BooleanField()


class ReadinessTotalsSerializer(serializers.Serializer):
    organizations = serializers.IntegerField()
    ready = serializers.IntegerField()
    trained_people = serializers.IntegerField()
    plans_current = serializers.IntegerField()
    plans_out_of_date = serializers.IntegerField()
    systems = serializers.IntegerField()
    systems_with_plan = serializers.IntegerField()
    high_level_systems = serializers.IntegerField()
    high_level_drilled = serializers.IntegerField()
    open_follow_ups = serializers.IntegerField()
    overdue_follow_ups = serializers.IntegerField()


class ReadinessSerializer(serializers.Serializer):
    today = serializers.DateField()
    window_days = serializers.IntegerField(help_text="Training and drills count over this many days.")
    totals = ReadinessTotalsSerializer()
    rows = ReadinessRowSerializer(many=True, help_text="Organizations with gaps first.")


class ReadinessViewSet(viewsets.GenericViewSet):
    """The readiness overview (everyone signed in; the organizations they see)."""

    serializer_class = serializers.Serializer

    def get_queryset(self):
        return Organization.objects.none()

    @extend_schema(responses=ReadinessSerializer)
    @action(detail=False, methods=["get"])
    def readiness(self, request):
        """Per organization: trained people, drills, plans in force, systems drilled, follow-ups."""
        today = timezone.localdate()
        rows = readiness_rows(request.user, today)
        answer = {"today": today, "window_days": WINDOW_DAYS, "totals": totals(rows), "rows": rows}
        return Response(ReadinessSerializer(answer).data)
