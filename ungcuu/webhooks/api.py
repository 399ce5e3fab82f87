"""API for webhook subscriptions: the pages' actions (create, change, rotate the secret, delivery log,
re-send a delivery) under the same gate (`Subscription.objects.visible_to`) and the same services."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.api.base import VisibleModelViewSet
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.inputs import page_parameter
from ungcuu.audit.requests import request_meta
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Organization
from ungcuu.webhooks import access, resend, services
from ungcuu.webhooks.models import Attempt, Delivery, Event, Subscription


class SubscriptionSerializer(serializers.ModelSerializer):
    organization = ScopedRelatedField(Organization, scope=access.manageable_organizations)
    events = serializers.MultipleChoiceField(choices=Event.choices, allow_empty=False)
    secret_hint = serializers.CharField(read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "organization",
            "name",
            "url",
            "events",
            "is_active",
            "secret_hint",
            "secret_rotated_at",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]
        read_only_fields = [
            "secret_rotated_at",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["events"] = [e for e in Event.values if e in instance.events]  # a list, in a stable order
        return data


class SubscriptionUpdateSerializer(SubscriptionSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)  # stays with its organisation


class SubscriptionSecretSerializer(SubscriptionSerializer):
    secret = serializers.SerializerMethodField(help_text="The signing secret: returned this once only.")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]

    def get_secret(self, obj) -> str:
        return self.context["secret"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "started_at", "duration_ms", "status_code", "response_excerpt", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "occurred_at",
            "state",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "attempt_log",
        ]


class ResendSerializer(serializers.Serializer):
    delivery = serializers.UUIDField(help_text="The delivery's `id` in the delivery log.")


class SubscriptionViewSet(VisibleModelViewSet):
    """An organisation's webhook subscriptions (its managers; the coordinator for the specialised unit)."""

    base_queryset = Subscription.objects.select_related("organization")
    serializer_class = SubscriptionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_parameters = {"deliveries": [page_parameter()]}  # the delivery log is paged: ?page= is its own

    def get_serializer_class(self):
        return (
            SubscriptionUpdateSerializer
            if self.action == "partial_update"
            else super().get_serializer_class()
        )

    @extend_schema(responses={201: SubscriptionSecretSerializer})
    def create(self, request, *args, **kwargs):
        require(access.manageable_organizations(request.user).exists())  # a viewer: 403, not a 400
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription, secret = services.create_subscription(
            actor=request.user,
            organization=data["organization"],
            name=data["name"],
            url=data["url"],
            events=data["events"],
            meta=request_meta(request),
        )
        body = SubscriptionSecretSerializer(
            subscription, context={**self.get_serializer_context(), "secret": secret}
        )
        return Response(body.data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        instance, data = serializer.instance, serializer.validated_data
        serializer.instance = services.update_subscription(
            actor=self.request.user,
            subscription=instance,
            name=data.get("name", instance.name),
            url=data.get("url", instance.url),
            events=data.get("events", instance.events),
            is_active=data.get("is_active", instance.is_active),
            meta=request_meta(self.request),
        )

    @extend_schema(request=None, responses=SubscriptionSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        subscription, secret = services.rotate_secret(
            actor=request.user, subscription=self.get_object(), meta=request_meta(request)
        )
        context = {**self.get_serializer_context(), "secret": secret}
        return Response(SubscriptionSecretSerializer(subscription, context=context).data)

    @extend_schema(request=None, responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        rows = Delivery.objects.filter(subscription=subscription).prefetch_related("attempt_log")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=ResendSerializer, responses=DeliverySerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Send a delivery of the log again (delivered, failed, withheld or cancelled): one more attempt
        with the same delivery id, its payload gated as every attempt (409 if the organisation may no
        longer read its object, if the subscription is off, or if the delivery is still waiting)."""
        subscription = self.get_object()
        if not access.can_manage(request.user, subscription.organization):
            raise exceptions.PermissionDenied  # before the body is read
        body = ResendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = Delivery.objects.filter(subscription=subscription, uuid=body.validated_data["delivery"]).first()
        if row is None:
            raise Http404
        row = resend.resend_delivery(
            actor=request.user, subscription=subscription, delivery=row, meta=request_meta(request)
        )
        return Response(DeliverySerializer(row).data)


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [("webhook-subscriptions", SubscriptionViewSet, "webhooksubscription")]
