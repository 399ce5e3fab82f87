"""Advisories (cảnh báo): the specialised unit's warnings, who they target, and what each unit did.

Also indicators of compromise (IPs, domains, URLs, hashes, e-mail addresses) attached to advisories and
incidents, stored once in canonical form so that a second sighting finds the first.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ungcuu.advisories.validators import IndicatorKind, validate_cve_ids
from ungcuu.advisories.versions import Constraint, parse_constraint
from ungcuu.core import clock
from ungcuu.core.errors import InvalidTransition
from ungcuu.core.models import AppendOnlyModel, TimeStampedModel
from ungcuu.core.states import CanBecome, StateIs, TransitionsMixin
from ungcuu.core.text import fold, fold_many
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import Organization, visible_organization_ids
from ungcuu.systems.models import InformationSystem


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


Tlp = Incident.Tlp
# TLP 2.0: CLEAR is public and GREEN may go to the whole community, so every member of the network may
# read them; AMBER, AMBER+STRICT and RED reach only the targeted organizations.
SHARED_WITH_NETWORK = (Tlp.CLEAR, Tlp.GREEN)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _sees_drafts(user) -> bool:
    return user.is_superuser or user.is_coordinator


class AdvisoryQuerySet(models.QuerySet):
    def visible_to(self, user) -> AdvisoryQuerySet:
        """Tenancy gate: coordinators see drafts too; the national coordinator every issued advisory;
        a unit the issued advisories that target an organization it sees, and those shared network-wide.
        """
        if not _signed_in(user):
            return self.none()
        if _sees_drafts(user):
            return self
        issued = self.exclude(status=Status.DRAFT)
        ids = visible_organization_ids(user)
        if ids is None:
            return issued
        return issued.filter(Q(targets__organization_id__in=ids) | Q(tlp__in=SHARED_WITH_NETWORK)).distinct()

    def search(self, query: str) -> AdvisoryQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Advisory(TransitionsMixin, TimeStampedModel):
    """A warning about vulnerabilities or a campaign, with what to do and by when (cảnh báo)."""

    Status = Status
    Tlp = Tlp

    # The one place that says which moves are legal (STYLE rule 4).
    TRANSITION_ERROR = _("An advisory in state “%(from)s” cannot become “%(to)s”.")
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.PUBLISHED},
        Status.PUBLISHED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    # Questions the pages ask (templates don't compare status strings).
    is_draft = StateIs(Status.DRAFT)
    is_published = StateIs(Status.PUBLISHED)
    is_editable = StateIs(Status.DRAFT, Status.PUBLISHED)
    can_close = CanBecome(Status.CLOSED)

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    recommended_actions = models.TextField(_("recommended actions"))
    cve_ids = models.JSONField(_("CVE ids"), default=list, blank=True, validators=[validate_cve_ids])
    deadline = models.DateTimeField(_("remediation deadline"))
    tlp = models.CharField("TLP", max_length=15, choices=Tlp.choices, default=Tlp.AMBER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    dispatch_number = models.CharField(
        _("dispatch number/symbol"),
        max_length=60,
        blank=True,
        help_text=_("As on the official letter, e.g. 123/SKHCN-CNTT; leave empty to fill in by hand."),
    )
    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("issuing body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_advisories",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    indicators: models.ManyToManyField = models.ManyToManyField(
        "Indicator", through="AdvisoryIndicator", related_name="advisories", blank=True
    )
    search_text = models.TextField(editable=False, default="")

    objects = AdvisoryQuerySet.as_manager()

    class Meta:
        # Drafts (not yet published) first on both databases: PostgreSQL and SQLite sort NULLs differently.
        ordering = [models.F("published_at").desc(nulls_first=True), "-created_at", "-id"]
        verbose_name = _("advisory")
        verbose_name_plural = _("advisories")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = fold_many(self.reference, self.title, self.summary, " ".join(self.cve_ids or []))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("advisories:detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.PUBLISHED and self.deadline < timezone.now()

    @property
    def shared_with_network(self) -> bool:
        return self.tlp in SHARED_WITH_NETWORK

    def require_status(self, *statuses: str) -> None:
        """Raise InvalidTransition unless the advisory is in one of `statuses` (the action's precondition)."""
        if self.status not in statuses:
            raise InvalidTransition(
                gettext("Not possible while the advisory is “%(status)s”.")
                % {"status": self.get_status_display()}
            )


class AffectedProduct(models.Model):
    """One affected product line: vendor, product and the version constraint (e.g. >=6.0,<6.2.3)."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="products")
    vendor = models.CharField(_("vendor"), max_length=100, blank=True)
    product = models.CharField(_("product"), max_length=150)
    versions = models.CharField(
        _("affected versions"), max_length=300, blank=True, help_text=_("Empty means every version.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return " ".join(x for x in (self.vendor, self.product, self.versions) if x)

    @property
    def constraint(self) -> Constraint:
        return parse_constraint(self.versions)


class TargetStatus(models.TextChoices):
    SENT = "sent", _("Not acknowledged")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("Remediation in progress")
    COMPLETED = "completed", _("Completed")


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> TargetQuerySet:
        """A unit sees only its own rows of issued advisories; coordinators and the national see all."""
        if not _signed_in(user):
            return self.none()
        if _sees_drafts(user):
            return self
        issued = self.exclude(advisory__status=Status.DRAFT)
        ids = visible_organization_ids(user)
        return issued if ids is None else issued.filter(organization_id__in=ids)

    def open(self) -> TargetQuerySet:
        """Targets of published advisories that still owe something."""
        return self.filter(advisory__status=Status.PUBLISHED).exclude(status=TargetStatus.COMPLETED)

    def overdue(self, now=None) -> TargetQuerySet:
        return self.open().filter(advisory__deadline__lt=now or timezone.now())


class AdvisoryTarget(models.Model):
    """One organization an advisory is addressed to: its acknowledgement and overall state."""

    Status = TargetStatus

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="targets")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="advisory_targets",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TargetStatus.choices, default=TargetStatus.SENT
    )
    added_by_hand = models.BooleanField(_("added by the coordinator"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Set once each, by the reminder job; they make reminding idempotent.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["advisory", "organization"], name="one_target_per_organization")
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.advisory.reference} → {self.organization}"

    @property
    def css(self) -> str:
        """The badge class the matrix colours this organization's state with."""
        return TARGET_CSS[self.status]

    @property
    def is_overdue(self) -> bool:
        return (
            self.advisory.status == Status.PUBLISHED
            and self.status != TargetStatus.COMPLETED
            and self.advisory.deadline < timezone.now()
        )


class SystemState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    REMEDIATED = "remediated", _("Remediated")
    NOT_AFFECTED = "not_affected", _("Not affected")


DONE_STATES = {SystemState.REMEDIATED, SystemState.NOT_AFFECTED}
# Colours of the matrix, with app.css's existing classes: amber = nothing yet, blue = under way, green = done.
STATE_CSS: dict[str, str] = {
    SystemState.NOT_STARTED: "badge warn",
    SystemState.IN_PROGRESS: "state state-appraised",
    SystemState.REMEDIATED: "badge ok",
    SystemState.NOT_AFFECTED: "badge ok",
}
TARGET_CSS: dict[str, str] = {
    TargetStatus.SENT: "badge warn",
    TargetStatus.ACKNOWLEDGED: "state state-appraised",
    TargetStatus.IN_PROGRESS: "state state-appraised",
    TargetStatus.COMPLETED: "badge ok",
}


class SystemStateQuerySet(models.QuerySet):
    def visible_to(self, user) -> SystemStateQuerySet:
        return self.filter(target__in=AdvisoryTarget.objects.visible_to(user).values("pk"))


class AdvisorySystemState(models.Model):
    """The remediation state one target organization reports for one affected system.

    `system` is empty for an organization the coordinator added by hand with no registered system that
    matched: the row then stands for the organization's own (unregistered) installations.
    """

    State = SystemState

    target = models.ForeignKey(AdvisoryTarget, on_delete=models.CASCADE, related_name="states")
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advisory_states",
    )
    software = models.CharField(_("matched software"), max_length=300, blank=True)
    status = models.CharField(
        _("state"), max_length=20, choices=SystemState.choices, default=SystemState.NOT_STARTED
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    objects = SystemStateQuerySet.as_manager()

    class Meta:
        ordering = ["target", "system__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "system"], name="one_state_per_target_system"),
            models.UniqueConstraint(
                fields=["target"], condition=Q(system__isnull=True), name="one_organization_wide_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.system or '—'} {self.status}"

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATES

    @property
    def css(self) -> str:
        return STATE_CSS[self.status]

    @property
    def label(self) -> str:
        return str(self.system) if self.system_id else gettext("Installations not in the registry")


class AdvisoryEvent(AppendOnlyModel):
    """Append-only audit of an advisory: edits, targets, publication, acknowledgements, states, reminders."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Edited")
        TARGETS_SET = "targets_set", _("Targets chosen")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        STATE = "state", _("Remediation state")
        REMINDED = "reminded", _("Reminder sent")
        ESCALATED = "escalated", _("Overdue, escalated")
        INDICATOR_ADDED = "indicator_added", _("Indicator added")
        INDICATOR_REMOVED = "indicator_removed", _("Indicator removed")

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="events")
    target = models.ForeignKey(
        AdvisoryTarget, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.advisory_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


# --- indicators -------------------------------------------------------------------------------------


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> IndicatorQuerySet:
        """An indicator is visible through an incident or advisory the user sees; never via a hidden one."""
        if not _signed_in(user):
            return self.none()
        incidents = Incident.objects.visible_to(user).values("pk")
        advisories = Advisory.objects.visible_to(user).values("pk")
        through = Q(pk__in=IncidentIndicator.objects.filter(incident__in=incidents).values("indicator")) | Q(
            pk__in=AdvisoryIndicator.objects.filter(advisory__in=advisories).values("indicator")
        )
        if _sees_drafts(user):
            # Coordinators also keep the indicators left attached to nothing; but one carried only by a
            # confidential incident they may not open stays as hidden as the incident.
            unattached = ~Q(pk__in=IncidentIndicator.objects.values("indicator")) & ~Q(
                pk__in=AdvisoryIndicator.objects.values("indicator")
            )
            through |= unattached
        return self.filter(through)


class Indicator(models.Model):
    """An indicator of compromise in canonical form; one row per (kind, value) across the platform."""

    Kind = IndicatorKind

    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    value = models.CharField(_("value"), max_length=2000)
    created_at = models.DateTimeField(_("first recorded"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incidents = models.ManyToManyField(
        Incident, through="IncidentIndicator", related_name="indicators", blank=True
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="one_indicator_per_value")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class AdvisoryIndicator(models.Model):
    """An indicator printed in an advisory."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="advisory_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["advisory", "indicator"], name="one_link_per_advisory_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.advisory_id} ↔ {self.indicator_id}"


class IncidentIndicator(models.Model):
    """An indicator observed in an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="indicator_links")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="incident_links")
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "indicator"], name="one_link_per_incident_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} ↔ {self.indicator_id}"
