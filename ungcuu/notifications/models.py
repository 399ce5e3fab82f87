"""The notification outbox: one row per recipient per channel, written in the caller's transaction."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ungcuu.incidents.models import Incident
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization

# A worker that claimed a row and then vanished leaves it in "sending"; after this lease it is due again.
SENDING_LEASE = datetime.timedelta(minutes=10)
DEFAULT_BACKOFF = [60, 300, 900, 3600, 21600]


def sending_lease() -> datetime.timedelta:
    return getattr(settings, "NOTIFICATION_SENDING_LEASE", SENDING_LEASE)


def retry_backoff() -> list[int]:
    """Seconds to wait after the 1st, 2nd, … failure; one more failure than the list is long means dead."""
    return list(getattr(settings, "NOTIFICATION_RETRY_BACKOFF", DEFAULT_BACKOFF))


# The header badge counts this many unread notifications at most and shows "99+" beyond.
BADGE_CAP = 99


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        """Tenancy gate: your own in-app notifications; coordinators see every delivery row, except the
        rows about an incident they may not open (a confidential one handled by someone else)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        own = Q(channel=Notification.Channel.INAPP, recipient_user=user)
        if access.is_coordinator(user):
            # A probe of the gate per row (EXISTS on the incident's key), not `IN (every visible incident)`:
            # the incident page asks for one incident's rows and must not build the whole visible set.
            visible = Incident.objects.visible_to(user).filter(pk=OuterRef("incident_id"))
            about_visible = Q(incident__isnull=True) | Q(Exists(visible))
            return self.filter(own | about_visible)
        return self.filter(own)

    def inbox_for(self, user) -> NotificationQuerySet:
        """The user's own in-app notifications (what the inbox lists, for coordinators too).

        Own rows are visible to their recipient by the gate's first condition; asking only that condition
        lets the inbox index answer the badge's unread count on every page (issue 18)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(channel=Notification.Channel.INAPP, recipient_user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def badge_count(self) -> int:
        """Unread rows up to BADGE_CAP + 1 (the badge shows "99+" past the cap): the header asks on every
        page, and a coordinator who never clears the inbox has hundreds of thousands (issue 18: 232,000
        unread, 0.5 s a page, at 1 M incidents). The index answers the first hundred and stops."""
        return self.unread().order_by()[: BADGE_CAP + 1].count()

    def unread_first(self) -> NotificationQuerySet:
        unread = models.Case(models.When(read_at__isnull=True, then=0), default=1)
        return self.order_by(unread, "-created_at", "-id")

    def due(self, now: datetime.datetime) -> NotificationQuerySet:
        """Rows the sweep should (re)try: waiting or failed and due, or claimed but abandoned."""
        State = Notification.State
        waiting = Q(state__in=[State.PENDING, State.FAILED]) & (
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
        abandoned = Q(state=State.SENDING, next_attempt_at__lte=now)
        return self.filter(waiting | abandoned)


class Notification(models.Model):
    """One message to one recipient over one channel, with its delivery state (the outbox row)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        INAPP = "inapp", _("In-app")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (will retry)")
        DEAD = "dead", _("Gave up")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    # Kept so the delivery table can say "sent to <organization>" for focal-point and intake addresses.
    recipient_org = models.ForeignKey(
        Organization,
        verbose_name=_("recipient organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    to_address = models.CharField(_("address"), max_length=254, blank=True)
    # "user:<id>" for in-app rows, the lower-cased address for e-mail: what de-duplication compares.
    recipient_key = models.CharField(max_length=260, editable=False)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=50)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # For a row in "sending" this is when the worker's claim expires (see sending_lease()).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dedupe_key = models.CharField(max_length=200, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["recipient_user", "channel", "read_at"], name="notification_inbox"),
        ]
        constraints = [
            # The same logical notification never reaches the same recipient twice over one channel.
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "recipient_key"],
                condition=~Q(dedupe_key=""),
                name="notification_dedupe_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_label} ({self.channel})"

    @property
    def recipient_label(self) -> str:
        """How the delivery table names the recipient: the organization's address, a person, or an address."""
        person = str(self.recipient_user) if self.recipient_user_id else self.to_address
        return f"{self.recipient_org}: {person}" if self.recipient_org_id else person

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
