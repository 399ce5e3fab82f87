"""Alerts from monitoring systems (SIEM, IDS, the national monitoring system), grouped by their key.

One alert is not stored by itself: alerts with the same (organization, source, dedup key) add to one
OPEN `AlertGroup` (a counter, first and last seen, the highest severity, the latest alert's text and
observables). A group is promoted to an incident through the intake service at most once, or dismissed
(who, when, why kept); a dismissed group reopens when its key is seen again (`reopened_count`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import Organization, visible_organization_ids
from ungcuu.systems.models import InformationSystem


class Severity(models.IntegerChoices):
    """Ordered, so the database keeps the highest one with MAX/GREATEST; the API speaks the names."""

    INFO = 1, _("Information")
    LOW = 2, _("Low")
    MEDIUM = 3, _("Medium")
    HIGH = 4, _("High")
    CRITICAL = 5, _("Critical")


# The API's words for the levels (lower-case names), both ways.
SEVERITY_NAMES: dict[str, int] = {s.name.lower(): s.value for s in Severity}
SEVERITY_WORDS: dict[int, str] = {v: k for k, v in SEVERITY_NAMES.items()}


class AlertGroupQuerySet(models.QuerySet):
    def visible_to(self, user) -> AlertGroupQuerySet:
        """The house gate: the province-wide roles see every group, a member those of the units they see."""
        ids = visible_organization_ids(user)
        if ids is None:
            return self
        return self.filter(organization_id__in=ids)

    def search(self, query: str) -> AlertGroupQuerySet:
        query = query.strip()
        if not query:
            return self
        return self.filter(
            Q(title__icontains=query) | Q(dedup_key__icontains=query) | Q(host__icontains=query)
        )


class AlertGroup(models.Model):
    """All alerts of one (organization, source, dedup key) while it is open: counted, not copied."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PROMOTED = "promoted", _("Promoted to an incident")
        DISMISSED = "dismissed", _("Dismissed")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="alert_groups", verbose_name=_("organization")
    )
    source = models.CharField(_("source"), max_length=100)
    dedup_key = models.CharField(_("dedup key"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    count = models.BigIntegerField(_("alerts"), default=1)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    # The latest alert's words (by detection time): what the monitoring system says now.
    title = models.CharField(_("title"), max_length=300)
    message = models.TextField(_("message"), blank=True)
    host = models.CharField(_("affected host"), max_length=255, blank=True)
    observables = models.JSONField(_("observables"), default=list, blank=True)
    system = models.ForeignKey(
        InformationSystem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alert_groups",
        verbose_name=_("information system"),
    )
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alert_groups",
        verbose_name=_("incident"),
    )
    promoted_at = models.DateTimeField(_("promoted"), null=True, blank=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Dismissal: who decided it was not an incident, when and why. Kept when a new alert reopens the group
    # (the upsert sets it open again and adds one to `reopened_count`), so the page still tells the story.
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dismissal_reason = models.CharField(_("reason for dismissal"), max_length=500, blank=True, db_default="")
    count_at_dismissal = models.BigIntegerField(_("alerts when dismissed"), null=True, blank=True)
    # db_default (here and on the reason): the upsert inserts rows with raw SQL that does not name them.
    reopened_count = models.PositiveIntegerField(_("reopened"), default=0, db_default=0)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    objects = AlertGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("alert group")
        verbose_name_plural = _("alert groups")
        constraints = [
            # The upsert's conflict target: one collecting group per key. A promoted one no longer collects
            # (the next alert opens a new group); a dismissed one does, and is reopened by it.
            models.UniqueConstraint(
                fields=["organization", "source", "dedup_key"],
                condition=Q(status__in=["open", "dismissed"]),
                name="alertgroup_one_collecting_per_key",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="alertgroup_count_positive"),
        ]
        indexes = [
            models.Index(fields=["organization", "-last_seen"], name="alertgroup_org_last_seen"),
            models.Index(fields=["-last_seen", "-id"], name="alertgroup_last_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.source}/{self.dedup_key}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:detail", args=[self.pk])

    @property
    def severity_word(self) -> str:
        return SEVERITY_WORDS.get(self.severity, "")

    @property
    def alerts_since_dismissal(self) -> int | None:
        if self.count_at_dismissal is None:
            return None
        return self.count - self.count_at_dismissal


class AlertBatch(models.Model):
    """A batch sent with an Idempotency-Key: its answer, so a retry is answered again and counted once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    body_sha256 = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    answer = models.JSONField(default=dict)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="alertbatch_key_per_user")]

    def __str__(self) -> str:
        return self.key
