"""The inbound mail log through the API (issue 16), under its page's gate: the coordinators, who take
reports in for the whole province, read it (less messages about an incident they may not open); for
anyone else it is not there (404), as the page says. A coordinator releases held mail into intake or
discards it through the page's services (`release_message`, `discard_message`): decided once."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.api.base import ConflictError, object_and_body
from ungcuu.api.pagination import CappedPageNumberPagination
from ungcuu.audit.api import ProvinceWideOnly
from ungcuu.interop import services
from ungcuu.interop.filters import InboundFilterSet
from ungcuu.interop.models import InboundMessage
from ungcuu.organizations.access import is_coordinator


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

    token_scopes = {"release": "coordinate", "discard": "coordinate"}

    def get_queryset(self):
        rows = InboundMessage.objects.visible_to(self.request.user)
        rows = rows.select_related("incident", "organization", "decided_by")
        # The kept bytes are read by the release service itself (it locks and re-reads the row).
        return rows.defer("original")

    def _decide(self, service, refused: str):
        message, _body = object_and_body(self, lambda user, row: is_coordinator(user))
        try:
            row = service(actor=self.request.user, message=message)
        except services.NotReleasable as error:
            raise ConflictError(refused % {"reason": error}) from None
        if not row.decision:  # released, but the report itself was refused: still held, to discard
            raise exceptions.ValidationError(
                {"detail": _("The report could not be accepted: %(detail)s") % {"detail": row.detail}}
            )
        return Response(self.get_serializer(row).data)

    @extend_schema(
        summary="Release held mail into intake",
        description=(
            "A quarantined message (rate limit, empty, unknown sender…) goes through intake as if it had "
            "just arrived: it becomes a report or joins its incident's timeline. Decided once: asking "
            "again answers the row as decided. 409 when it cannot be released (never downloaded, or not "
            "held); 400 when intake refuses the report itself (the message stays held, to discard)."
        ),
        request=None,
        responses={
            200: InboundMessageSerializer,
            400: OpenApiResponse(description="Intake refused the report; `detail` says why."),
            409: OpenApiResponse(description="This message cannot be released; `detail` says why."),
        },
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._decide(services.release_message, _("This message cannot be released: %(reason)s."))

    @extend_schema(
        summary="Discard held mail",
        description=(
            "The message is not a report: its kept bytes are dropped (the mailbox still holds it) and the "
            "row records who decided and when. Decided once. 409 when the message is not held."
        ),
        request=None,
        responses={
            200: InboundMessageSerializer,
            409: OpenApiResponse(description="This message is not held; `detail` says why."),
        },
    )
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        return self._decide(services.discard_message, _("This message is not held: %(reason)s."))


ROUTES = [("inbound-messages", InboundMessageViewSet, "inboundmessage")]
