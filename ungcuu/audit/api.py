"""The audit trail through the API (issue 16), under the audit page's gate: those who answer for the
whole province (coordinators) read it; for anyone else it is not there (404), as the page says. The
page's filters (`actor`, `action`, `target_type`, `target`, `date_from`, `date_to`) apply to the list and
to its CSV export (`GET /audit-events/export/`, the page's file; the download is itself audited)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action

from ungcuu.api.pagination import CappedPageNumberPagination
from ungcuu.audit.exports import csv_response
from ungcuu.audit.filters import AuditFilterSet
from ungcuu.audit.models import AuditEvent
from ungcuu.core.exports import CSV_TYPE
from ungcuu.organizations import access


class ProvinceWideOnly(permissions.BasePermission):
    """The page's gate: not a coordinator → 404, whatever is asked (the trail names every member)."""

    def has_permission(self, request, view):
        if not access.is_coordinator(request.user):
            raise Http404
        return True


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name", read_only=True)
    target_type = serializers.SerializerMethodField()
    target = serializers.CharField(source="target_label", read_only=True)
    page = serializers.CharField(source="view_name", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "target",
            "detail",
            "organization",
            "page",
            "ip_address",
            "user_agent",
        ]
        read_only_fields = fields

    def get_target_type(self, event) -> str:
        """The target's model as `app.model` ("incidents.incident"), empty when there is none."""
        kind = event.target_type
        return f"{kind.app_label}.{kind.model}" if kind else ""


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The audit trail, newest first (append-only: nothing here changes it)."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditFilterSet
    filterset_actions = {"export"}
    pagination_class = CappedPageNumberPagination

    def get_permissions(self):
        # Right after authentication: a member is told nothing, not even which query parameters exist.
        signed_in, *rest = super().get_permissions()
        return [signed_in, ProvinceWideOnly(), *rest]

    def get_queryset(self):
        return AuditEvent.objects.select_related("target_type", "organization")

    @extend_schema(responses={(200, CSV_TYPE): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        """The trail as CSV (the page's export): every event the filters select, newest first."""
        return csv_response(self.filter_queryset(self.get_queryset()))


ROUTES = [("audit-events", AuditEventViewSet, "auditevent")]
