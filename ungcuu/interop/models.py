"""Messages that reached the platform from outside (today: the intake mailbox) and what became of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ungcuu.incidents.models import Incident
from ungcuu.organizations import access
from ungcuu.organizations.models import FocalPoint, Organization


class InboundMessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> InboundMessageQuerySet:
        """Coordinators read the intake log, except messages about an incident they may not open (a
        confidential one handled by someone else): its subject and sender would say too much."""
        if not access.is_coordinator(user) or not user.is_active:
            return self.none()
        visible = Incident.objects.visible_to(user).values("pk")
        return self.filter(Q(incident__isnull=True) | Q(incident__in=visible))


class InboundMessage(models.Model):
    """One e-mail read from the intake mailbox, recorded in the same transaction as what it produced."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Incident created")
        THREADED = "threaded", _("Added to an incident")
        IGNORED = "ignored", _("Ignored")
        QUARANTINED = "quarantined", _("Quarantined")

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Delivery failure report (bounce)")
        AUTO_REPLY = "auto_reply", _("Automatic reply")
        LOOP = "loop", _("Mail loop (our own message came back)")
        RATE_LIMITED = "rate_limited", _("Too many messages from this sender")
        TOO_LARGE = "too_large", _("Message too large")
        EMPTY = "empty", _("No subject and no text")
        NO_SENDER = "no_sender", _("No usable sender address")
        INVALID = "invalid", _("The report could not be accepted")

    class Decision(models.TextChoices):
        RELEASED = "released", _("Released into intake")
        DISCARDED = "discarded", _("Discarded")

    # Quarantine reasons a person may overrule: the message itself was fine, a rule held it back.
    RELEASABLE = (Reason.RATE_LIMITED, Reason.EMPTY)

    # RFC 5322 Message-ID, or a digest of the raw message when it has none: the idempotency key.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    mailbox = models.CharField(_("mailbox"), max_length=200, blank=True)
    uid = models.CharField(_("IMAP UID"), max_length=40, blank=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("processed at"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_messages"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    focal_point = models.ForeignKey(
        FocalPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # A quarantined message's bytes, so a coordinator can release it into intake; cleared when discarded
    # (the mailbox keeps every message anyway). None for one never downloaded (too large).
    original = models.BinaryField(null=True, blank=True, editable=False)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"

    @property
    def awaits_decision(self) -> bool:
        return self.outcome == self.Outcome.QUARANTINED and not self.decision

    @property
    def releasable(self) -> bool:
        return self.awaits_decision and self.reason in self.RELEASABLE and self.original is not None

    @property
    def made_incident(self) -> bool:
        return self.outcome in {self.Outcome.CREATED, self.Outcome.THREADED}
