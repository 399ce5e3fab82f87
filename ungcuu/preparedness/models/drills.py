"""Drills (diễn tập): tabletop or live-fire, their findings, and follow-up actions tracked to closure."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.core.models import TimeStampedModel
from ungcuu.core.states import StateIs, TransitionsMixin
from ungcuu.core.text import fold, fold_many
from ungcuu.organizations.models import Organization, visible_organization_ids
from ungcuu.preparedness.models.scenarios import Scenario
from ungcuu.systems.models import InformationSystem


class DrillKind(models.TextChoices):
    TABLETOP = "tabletop", _("Tabletop exercise")
    LIVE_FIRE = "live_fire", _("Live-fire drill")


class DrillStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


def _visible_drill_ids(ids: set[int]) -> models.QuerySet:
    """Drills a unit organizes, takes part in, owns or operates a drilled system of, or owes an action for."""
    return (
        Drill.objects.filter(
            Q(organization_id__in=ids)
            | Q(participants__in=ids)
            | Q(systems__operator_id__in=ids)
            | Q(systems__owner_id__in=ids)
            | Q(findings__actions__owner_id__in=ids)
        )
        .values("pk")
        .distinct()
    )


class DrillQuerySet(models.QuerySet):
    def visible_to(self, user) -> DrillQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        ids = visible_organization_ids(user)
        return self if ids is None else self.filter(pk__in=_visible_drill_ids(ids))

    def held(self) -> DrillQuerySet:
        return self.filter(status=DrillStatus.HELD)

    def upcoming(self, today: datetime.date | None = None) -> DrillQuerySet:
        return self.filter(status=DrillStatus.PLANNED, scheduled_on__gte=today or timezone.localdate())

    def search(self, query: str) -> DrillQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Drill(TransitionsMixin, TimeStampedModel):
    """One drill, planned then recorded as held (or cancelled); a held live-fire drill fulfils CT18."""

    Kind = DrillKind
    Status = DrillStatus

    # The one place that says which moves are legal (STYLE rule 4).
    TRANSITIONS: dict[str, set[str]] = {
        DrillStatus.PLANNED: {DrillStatus.HELD, DrillStatus.CANCELLED},
        DrillStatus.HELD: set(),
        DrillStatus.CANCELLED: set(),
    }

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of drill"), max_length=20, choices=DrillKind.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="organized_drills"
    )
    participants = models.ManyToManyField(
        Organization, verbose_name=_("participating organizations"), blank=True, related_name="drills"
    )
    systems = models.ManyToManyField(
        InformationSystem, verbose_name=_("systems drilled"), blank=True, related_name="drills"
    )
    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("scenario"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drills",
    )
    scheduled_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=20, choices=DrillStatus.choices, default=DrillStatus.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    summary = models.TextField(_("summary of results"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    search_text = models.TextField(editable=False, default="")

    objects = DrillQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DrillStatus.HELD) | Q(held_on__isnull=False),
                name="held_drill_has_date",
            )
        ]
        indexes = [models.Index(fields=["status", "scheduled_on"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold_many(self.title, self.objectives, self.summary)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("preparedness:drill_detail", args=[self.pk])

    @property
    def date(self) -> datetime.date:
        return self.held_on or self.scheduled_on

    is_planned = StateIs(DrillStatus.PLANNED)  # questions the drill page asks
    is_held = StateIs(DrillStatus.HELD)

    @property
    def is_live_fire(self) -> bool:
        return self.kind == DrillKind.LIVE_FIRE


class FindingSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class DrillFindingQuerySet(models.QuerySet):
    def visible_to(self, user) -> DrillFindingQuerySet:
        """A finding is seen with its drill."""
        return self.filter(drill__in=Drill.objects.visible_to(user))


class DrillFinding(TimeStampedModel):
    """A weakness a held drill revealed; its follow-up actions close it."""

    Severity = FindingSeverity

    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="findings")
    title = models.CharField(_("finding"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=FindingSeverity.choices, default=FindingSeverity.MEDIUM
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DrillFindingQuerySet.as_manager()

    class Meta:
        ordering = ["drill", "id"]
        verbose_name = _("drill finding")
        verbose_name_plural = _("drill findings")

    def __str__(self) -> str:
        return self.title


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user) -> FollowUpQuerySet:
        """Seen with its drill (which the owner organization of an action sees too)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        ids = visible_organization_ids(user)
        if ids is None:
            return self
        return self.filter(finding__drill_id__in=_visible_drill_ids(ids))

    def open(self) -> FollowUpQuerySet:
        return self.filter(status=FollowUpStatus.OPEN)

    def overdue(self, today: datetime.date | None = None) -> FollowUpQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class FollowUpAction(TimeStampedModel):
    """What must be done about a finding, by which organization and when; open until closed."""

    Status = FollowUpStatus

    finding = models.ForeignKey(DrillFinding, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.DONE) | Q(done_on__isnull=False),
                name="done_follow_up_has_date",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status == FollowUpStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()
