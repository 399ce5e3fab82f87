"""`POST /api/v1/alerts/` (monitoring systems send alerts) and `/api/v1/alert-groups/` (read, promote)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from ungcuu.alerts import access, jobs, services
from ungcuu.alerts.filters import AlertGroupFilterSet
from ungcuu.alerts.intake import NDJSON
from ungcuu.alerts.models import SEVERITY_WORDS, AlertGroup
from ungcuu.alerts.schema import request_body
from ungcuu.api.pagination import CappedPageNumberPagination

ACCEPTED_TYPES = ("application/json", NDJSON)


class AlertErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        help_text="Position of the alert in the batch (0 = first; NDJSON: line)."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="Messages per field."
    )


class IngestAnswerSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="Alerts added to their groups.")
    rejected = serializers.IntegerField(help_text="Alerts refused (listed in `errors`).")
    errors = AlertErrorSerializer(many=True)
    errors_truncated = serializers.BooleanField(help_text="More were refused than are listed.")


class MaySendAlerts(permissions.BasePermission):
    """Someone who may report for at least one unit (the token's "report" scope is the API's check)."""

    def has_permission(self, request, view):
        return access.may_send_alerts(request.user)


def _read_body(request) -> bytes:
    """The raw body, never more than ALERTS_MAX_BYTES read (Django's 2.5 MB form limit does not apply).

    Read once and kept on the request: the idempotency check fingerprints the same bytes before the view
    runs (`AlertViewSet.idempotency_body`), and a stream can be read only once."""
    django_request = request._request
    kept = getattr(django_request, "_ungcuu_alerts_body", None)
    if kept is None:
        try:
            kept = _read_limited(django_request)
        except services.BodyError as exc:
            kept = exc
        django_request._ungcuu_alerts_body = kept
    if isinstance(kept, services.BodyError):
        raise kept
    return kept


def _read_limited(django_request) -> bytes:
    limit = settings.ALERTS_MAX_BYTES
    too_large = _("The body is larger than %(max)s bytes: split the batch.") % {"max": limit}
    try:
        length = int(django_request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise services.BodyError(too_large, too_large=True)
    body = django_request.read(limit + 1)
    if len(body) > limit:
        raise services.BodyError(too_large, too_large=True)
    return body


INGEST_DOC = """One alert (a JSON object) or a batch: a JSON array, or NDJSON (`Content-Type:
application/x-ndjson`, one alert per line). Alerts with the same organization, source and `dedup_key` add to
one open alert group (a counter, first and last seen). An alert belongs to the sender's unit; one who may
send for several (or a coordinator) names it in `organization`.

Answers: 200 every alert accepted; 207 some accepted, the others listed with their index and reasons; 400
none accepted (same shape), or a body that is not JSON; 413 more than the configured number of alerts or
bytes in one request. The good alerts of a batch are written together or not at all. Send an
`Idempotency-Key` header to retry safely: the same key with the same body is answered again (header
`Idempotent-Replayed: true`) and counted once; with another body it is a 422 (409 while the first is
still running)."""


class AlertViewSet(viewsets.GenericViewSet):
    """Monitoring systems send alerts here (a write of the "report" kind)."""

    # The API's own permissions (authentication, declared query parameters, token scopes where the API
    # has them), then the alerts rule. `token_scopes` is what the API's scope check reads per action.
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, MaySendAlerts]
    token_scopes = {"create": "report"}
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "alerts"
    serializer_class = IngestAnswerSerializer
    queryset = AlertGroup.objects.none()

    @extend_schema(
        summary="Send monitoring alerts",
        description=INGEST_DOC,
        request=request_body(),
        responses={
            200: IngestAnswerSerializer,
            207: OpenApiResponse(IngestAnswerSerializer, description="Some alerts accepted, others refused."),
            413: OpenApiResponse(
                {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
                description="Too many alerts or bytes in one request.",
            ),
        },
    )
    def idempotency_body(self, request) -> bytes | None:
        """What an `Idempotency-Key` promises here: the raw batch (ungcuu/api/idempotency.py)."""
        try:
            return _read_body(request)
        except services.BodyError:
            return None

    def create(self, request):
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type not in ACCEPTED_TYPES:
            raise exceptions.UnsupportedMediaType(content_type or "none")
        # The API-wide check (ungcuu/api/idempotency.py) has validated the key and answers a settled replay;
        # the key is stored again with the alerts, in their transaction, so a crash between the commit and the
        # API's settling still never counts a retried batch twice.
        key = request.headers.get("Idempotency-Key", "").strip()
        try:
            result = services.ingest_alerts(
                actor=request.user, body=_read_body(request), content_type=content_type, idempotency_key=key
            )
        except services.BodyError as exc:
            code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE if exc.too_large else status.HTTP_400_BAD_REQUEST
            return Response({"detail": str(exc)}, status=code)
        if result.due:
            jobs.promote_by_rule.enqueue(group_ids=result.due)
        headers = {"Idempotent-Replayed": "true"} if result.replayed else {}
        return Response(result.answer, status=result.status, headers=headers)


class AlertGroupSerializer(serializers.ModelSerializer):
    severity = serializers.SerializerMethodField()
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    dismissed_by = serializers.SerializerMethodField()
    alerts_since_dismissal = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = AlertGroup
        fields = [
            "id",
            "organization",
            "organization_name",
            "source",
            "dedup_key",
            "status",
            "severity",
            "count",
            "first_seen",
            "last_seen",
            "title",
            "message",
            "host",
            "observables",
            "system",
            "incident",
            "promoted_at",
            "dismissed_at",
            "dismissed_by",
            "dismissal_reason",
            "reopened_count",
            "alerts_since_dismissal",
        ]
        read_only_fields = fields

    def get_severity(self, group) -> str:
        return SEVERITY_WORDS.get(group.severity, "")

    def get_dismissed_by(self, group) -> str | None:
        """Who dismissed it, by name (as the page shows), or null."""
        person = group.dismissed_by
        return None if person is None else (person.get_full_name() or person.get_username())


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.DISMISSAL_REASON_MAX)


class PromotedSerializer(serializers.Serializer):
    incident = serializers.IntegerField()
    reference = serializers.CharField()


class AlertGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Alert groups under the house gate; the coordinator or the unit's manager promotes one."""

    serializer_class = AlertGroupSerializer
    filterset_class = AlertGroupFilterSet
    # Reading needs a "read" token; promoting opens an incident for a unit, dismissing decides it is none:
    # both a "coordinate" token.
    token_scopes = {"list": "read", "retrieve": "read", "promote": "coordinate", "dismiss": "coordinate"}
    pagination_class = CappedPageNumberPagination

    def get_queryset(self):
        return AlertGroup.objects.visible_to(self.request.user).select_related("organization", "dismissed_by")

    @extend_schema(request=None, responses={200: PromotedSerializer})
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        """Open an incident from the group (the same intake as every door); again: the same incident."""
        incident = services.promote_group(actor=request.user, group=self.get_object())
        return Response({"incident": incident.pk, "reference": incident.reference})

    @extend_schema(request=DismissSerializer, responses={200: AlertGroupSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Close an open group without an incident, with a reason (who may promote it may dismiss it); a
        new alert with its key reopens it (`reopened_count`). 409 for a group not open."""
        group = self.get_object()
        if not access.can_promote(request.user, group):
            raise exceptions.PermissionDenied  # before the body is read
        body = DismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        group = services.dismiss_group(actor=request.user, group=group, reason=body.validated_data["reason"])
        return Response(self.get_serializer(group).data)


ROUTES = [
    ("alerts", AlertViewSet, "alert"),
    ("alert-groups", AlertGroupViewSet, "alertgroup"),
]
