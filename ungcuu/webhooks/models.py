"""Webhooks out: an organisation's subscriptions to platform events, and every delivery and attempt."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ungcuu.core.models import TimeStampedModel
from ungcuu.core.states import StateIs
from ungcuu.organizations.models import Organization, visible_organization_ids


class Event(models.TextChoices):
    INCIDENT_REPORTED = "incident.reported", _("Incident reported")
    INCIDENT_CHANGED = "incident.changed", _("Incident changed")
    ADVISORY_PUBLISHED = "advisory.published", _("Advisory published")
    REQUEST_ANSWERED = "coordination_request.answered", _("Coordination request answered")
    OBLIGATION_OVERDUE = "obligation.overdue", _("Obligation overdue")


class SubscriptionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubscriptionQuerySet:
        """Members of the organisation read its subscriptions and their delivery logs (never the secret);
        province-wide users read all. Changing them is `access.can_manage`'s."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        ids = visible_organization_ids(user)
        return self if ids is None else self.filter(organization_id__in=ids)

    def active(self) -> SubscriptionQuerySet:
        return self.filter(is_active=True, organization__is_active=True)


class Subscription(TimeStampedModel):
    """An organisation's endpoint that is told, signed, when one of the chosen events happens."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("endpoint URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # HMAC needs the key itself on our side, so it cannot be hashed: it is shown once (on creation and
    # rotation) and only masked afterwards; the previous one keeps signing alongside until it expires.
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "name", "pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.organization}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("webhooks:detail", args=[self.pk])

    @property
    def secret_hint(self) -> str:
        """What the page shows after the one time the secret is revealed."""
        return f"{self.secret[:8]}…" if self.secret else ""

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [str(labels.get(e, e)) for e in self.events]


class Delivery(models.Model):
    """One event owed to one subscription: its id is the `X-UngCuu-Delivery` the receiver deduplicates on."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Failed, will retry")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed for good")
        WITHHELD = "withheld", _("Withheld (not readable by the organisation)")
        CANCELLED = "cancelled", _("Cancelled (subscription disabled)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(_("occurred at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    STATE_FIELD = "state"
    is_retrying = StateIs(State.RETRYING)  # the page asks; templates don't compare state strings

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            # One event owed once per subscription, even if the fan-out job runs twice.
            models.UniqueConstraint(
                fields=["subscription", "event", "object_type", "object_id", "occurred_at"],
                name="webhooks_delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.state})"


class Attempt(models.Model):
    """One HTTP request of a delivery, as the receiver answered it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
