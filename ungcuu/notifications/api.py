"""The inbox through the API (issue 16 part 5): a person's own in-app notifications, as the inbox page
shows them (`as_seen_by`: a confidential incident they can no longer open says only "something to look
at"), and the read marks. Someone else's notification is 404, as on the page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.notifications import services
from ungcuu.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "subject", "body", "link", "incident", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's inbox, unread first."""

    serializer_class = NotificationSerializer
    # Read marks are the person's own bookkeeping, not a change to anyone's data: a `read` token may set them.
    token_scopes = {"read": TokenScope.READ, "read_all": TokenScope.READ}

    def get_queryset(self):
        return Notification.objects.inbox_for(self.request.user).select_related("incident").unread_first()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = services.as_seen_by(request.user, page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        [row] = services.as_seen_by(request.user, [self.get_object()])
        return Response(self.get_serializer(row).data)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read (the first read time is kept)."""
        notification = services.mark_read(actor=request.user, notification=self.get_object())
        [row] = services.as_seen_by(request.user, [notification])
        return Response(self.get_serializer(row).data)

    @extend_schema(
        request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[], pagination_class=None)
    def read_all(self, request):
        """Mark every unread notification of the caller read; answers how many changed."""
        return Response({"marked": services.mark_all_read(actor=request.user)})


ROUTES = [("notifications", NotificationViewSet, "notification")]
