"""The inbound mail log through the API (issue 16), under its page's gate: the coordinators, who take
reports in for the whole province, read it (less messages about an incident they may not open); for
anyone else it is not there (404), as the page says. Releasing or discarding held mail stays page-only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from ungcuu.api.pagination import CappedPageNumberPagination
from ungcuu.audit.api import ProvinceWideOnly
from ungcuu.interop.filters import InboundFilterSet
from ungcuu.interop.models import InboundMessage


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField(required=False)
    refused = serializers.CharField(required=False, help_text="Why the file was not kept as evidence.")


class InboundMessageSerializer(serializers.ModelSerializer):
    """One row of the log, with what the page shows: who sent what, and what became of it."""

    organization_name = serializers.CharField(source="organization.name", default=None, read_only=True)
    incident_reference = serializers.CharField(source="incident.reference", default=None, read_only=True)
    attachments = serializers.SerializerMethodField()
    decided_by = serializers.CharField(source="decided_by.get_username", default=None, read_only=True)

    class Meta:
        model = InboundMessage
        fields = [
            "id",
            "received_at",
            "sender",
            "organization",
            "organization_name",
            "subject",
            "outcome",
            "reason",
            "detail",
            "incident",
            "incident_reference",
            "attachments",
            "awaits_decision",
            "decision",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, message) -> list[dict]:
        keys = ("name", "size", "refused")
        return [{k: item[k] for k in keys if k in item} for item in message.attachments or []]


class InboundMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The intake mailbox's log, newest first; `?outcome=` as on the page."""

    serializer_class = InboundMessageSerializer
    filterset_class = InboundFilterSet
    pagination_class = CappedPageNumberPagination

    def get_permissions(self):
        # Right after authentication: a member is told nothing, not even which query parameters exist.
        signed_in, *rest = super().get_permissions()
        return [signed_in, ProvinceWideOnly(), *rest]

    def get_queryset(self):
        rows = InboundMessage.objects.visible_to(self.request.user)
        return rows.select_related("incident", "organization", "decided_by").defer("original")


ROUTES = [("inbound-messages", InboundMessageViewSet, "inboundmessage")]
