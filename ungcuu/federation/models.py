"""Federation between a provincial instance and the national one: peers, the outbox, the inbox, and what
the national instance keeps of each province's escalated incidents (only what the law sends up)."""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.core.states import StateIs
from ungcuu.incidents.models import Incident


class Instance(models.TextChoices):
    PROVINCE = "province", _("Provincial instance")
    NATIONAL = "national", _("National instance")


class Peer(models.Model):
    """A provincial instance registered on the national one, with the secret its requests are signed with.

    The secret is kept as such (not hashed): HMAC needs it on both ends, and the national side signs
    what it sends back with the same key. The province's one peer (the national instance) comes from
    its settings instead (`peers.national()`), so a province needs no row here.
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    base_url = models.URLField(_("address of the instance"))
    secret = models.CharField(_("shared secret"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MessageKind(models.TextChoices):
    # Province → national
    INCIDENT = "incident", _("Escalated incident")
    UPDATE = "update", _("Incident update")
    EVIDENCE = "evidence", _("Shared evidence")
    STATISTICS = "statistics", _("Periodic statistics (form 05)")
    # National → province
    STATUS = "status", _("National status change")
    REQUEST = "request", _("Coordination request")
    ADVISORY = "advisory", _("Advisory")


UPWARD = {MessageKind.INCIDENT, MessageKind.UPDATE, MessageKind.EVIDENCE, MessageKind.STATISTICS}
DOWNWARD = {MessageKind.STATUS, MessageKind.REQUEST, MessageKind.ADVISORY}


class OutboxQuerySet(models.QuerySet):
    def undelivered(self) -> OutboxQuerySet:
        return self.exclude(state=OutboxMessage.State.DELIVERED)

    def heads(self) -> list[OutboxMessage]:
        """The first undelivered message of each stream: the only ones that may be sent now (a later
        message of an incident waits for the earlier one)."""
        first = self.undelivered().values("destination", "stream").annotate(first_seq=models.Min("seq"))
        keys = {(row["destination"], row["stream"], row["first_seq"]) for row in first}
        rows = self.undelivered().filter(stream__in={k[1] for k in keys}).order_by("created_at", "pk")
        return [m for m in rows if (m.destination, m.stream, m.seq) in keys]


class OutboxMessage(models.Model):
    """One message to a peer, written in the same transaction as the change it carries (so it survives a
    crash or restart), delivered at least once by the worker; `message_id` makes the receiver's answer to
    a repeat the same."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Failed, will retry")
        DELIVERED = "delivered", _("Delivered")
        REFUSED = "refused", _("Refused by the receiver")

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    destination = models.CharField(_("to"), max_length=20)
    stream = models.CharField(_("stream"), max_length=120)
    seq = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="federation_messages"
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    duplicate = models.BooleanField(_("receiver had it already"), default=False)

    objects = OutboxQuerySet.as_manager()

    # Questions the pages ask (templates don't compare state strings).
    STATE_FIELD = "state"
    is_retrying = StateIs(State.RETRYING)
    is_delivered = StateIs(State.DELIVERED)
    is_refused = StateIs(State.REFUSED)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["destination", "stream", "seq"], name="federation_outbox_order")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.destination} {self.stream}#{self.seq} {self.kind}"

    @property
    def is_incident(self) -> bool:
        """The escalation itself (its evidence can be shared from here), not a later update."""
        return self.kind == MessageKind.INCIDENT


class ForwardedIncident(models.Model):
    """A provincial incident escalated to the national instance: from then on its updates follow it."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="forwarded")
    destination = models.CharField(max_length=20)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.destination}"


class OutboxStream(models.Model):
    """The sender's counter of one stream: its row lock hands out the next sequence number."""

    destination = models.CharField(max_length=20)
    stream = models.CharField(max_length=120)
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["destination", "stream"], name="federation_outbox_stream_once")
        ]

    def __str__(self) -> str:
        return f"{self.destination} {self.stream} {self.last_seq}"


class Stream(models.Model):
    """The receiver's position in one sender's stream: the last sequence number applied."""

    sender = models.CharField(max_length=20)
    stream = models.CharField(max_length=120)
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender", "stream"], name="federation_stream_once")]

    def __str__(self) -> str:
        return f"{self.sender} {self.stream} {self.last_seq}"


class InboxMessage(models.Model):
    """A message applied from a peer, once (a repeat of its `message_id` only counts a duplicate)."""

    sender = models.CharField(_("from"), max_length=20)
    message_id = models.UUIDField()
    stream = models.CharField(_("stream"), max_length=120)
    seq = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    duplicates = models.PositiveIntegerField(_("repeats received"), default=0)
    # What the message became here (a coordination request, an advisory, a national incident).
    link = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "message_id"], name="federation_inbox_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} {self.stream}#{self.seq} {self.kind}"


class NationalQuerySet(models.QuerySet):
    def visible_to(self, user) -> NationalQuerySet:
        """The national instance's gate: its national staff (and superusers) see what the provinces sent."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self if (user.is_superuser or user.is_national) else self.none()


class NationalIncident(models.Model):
    """What the national instance keeps of a province's escalated incident: the fields sent up, no more."""

    province = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="incidents")
    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status in the province"), max_length=40)
    status_label = models.CharField(_("status"), max_length=100, blank=True)
    severity = models.CharField(_("severity"), max_length=10)
    category = models.CharField(_("category"), max_length=60, blank=True)
    confidential = models.BooleanField(_("keep confidential"), default=False)
    tlp = models.CharField("TLP", max_length=15, blank=True)
    operator = models.CharField(_("operating organization"), max_length=300, blank=True)
    system = models.CharField(_("affected system"), max_length=300, blank=True)
    detected_at = models.DateTimeField(_("detected at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    escalation = models.CharField(_("why it was sent up"), max_length=300, blank=True)
    national_status = models.CharField(_("national status"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)

    objects = NationalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["province", "reference"], name="federation_incident_once"),
        ]

    def __str__(self) -> str:
        return f"{self.province.code} {self.reference} {self.title}"

    @property
    def severity_label(self) -> str:
        """The province's words for its severity (a value this version does not know is shown as sent)."""
        known = dict(Incident.Severity.choices)
        return str(known.get(self.severity, self.severity))


class NationalUpdate(models.Model):
    """One timeline update of a national incident, in the province's order (`seq`)."""

    incident = models.ForeignKey(NationalIncident, on_delete=models.CASCADE, related_name="updates")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    kind_label = models.CharField(max_length=100, blank=True)
    message = models.TextField(blank=True)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    file = models.FileField(upload_to="federation/%Y/%m/", blank=True, max_length=255)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["incident", "seq"], name="federation_update_once")]

    def __str__(self) -> str:
        return f"{self.incident_id}#{self.seq} {self.kind}"


class NationalStatistics(models.Model):
    """A province's periodic statistics (form 05 figures) for one period; a later sending replaces it."""

    province = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="statistics")
    period = models.CharField(_("period"), max_length=20)
    figures = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    objects = NationalQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["province", "period"], name="federation_statistics_once"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.period}"
