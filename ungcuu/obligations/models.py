"""Recurring and event-driven duties of the network (DOMAIN.md §g) and their dated occurrences."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ungcuu.core.errors import Conflict
from ungcuu.core.models import AppendOnlyModel, TimeStampedModel
from ungcuu.core.states import StateIs
from ungcuu.organizations.models import Kind, Organization, visible_organization_ids

DEFAULT_LEAD_TIMES = [30, 7, 1]
MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def default_lead_times() -> list[int]:
    return list(DEFAULT_LEAD_TIMES)


class EvidenceKind(models.TextChoices):
    """What can prove an occurrence done; the other apps link their rows through the generic relation."""

    FILE = "file", _("File")
    LINK = "link", _("Link")
    DRILL = "drill", _("Drill")
    SCAN = "scan", _("Vulnerability scan")
    PLAN_VERSION = "plan_version", _("Response plan version")
    REPORT = "report", _("Report")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")

    @classmethod
    def given(cls, *, file, link) -> EvidenceKind:
        """What a person's proof is (page and API alike): a file, else a link, else a note."""
        return cls.FILE if file else cls.LINK if link else cls.OTHER


class ObligationDefinition(TimeStampedModel):
    """A duty: how often (period, fixed dates or on event), who owes it, what fulfils it, when to remind."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    source = models.CharField(_("legal source"), max_length=300, blank=True)
    basis_vi = models.CharField(
        _("legal basis"), max_length=300, blank=True, help_text=_("The legal text as an official cites it.")
    )
    period_months = models.PositiveSmallIntegerField(
        _("period (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Periods are aligned on 1 January; the occurrence is due on the period's last day."),
    )
    fixed_dates = models.JSONField(
        _("fixed due dates"),
        default=list,
        blank=True,
        help_text=_('Month-day list such as ["06-20", "12-15"]; takes precedence over the period.'),
    )
    applies_to_kinds = models.JSONField(_("organization types"), default=list, blank=True)
    applies_to_network_members = models.BooleanField(_("network members"), default=False)
    applies_to_systems = models.BooleanField(
        _("every information system"),
        default=False,
        help_text=_("One occurrence per active system (owed by its operating unit)."),
    )
    min_security_level = models.PositiveSmallIntegerField(
        _("from security level"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    is_event_driven = models.BooleanField(_("on event"), default=False)
    event_due_days = models.PositiveSmallIntegerField(
        _("days allowed after the event"), default=30, validators=[MaxValueValidator(366)]
    )
    evidence_kinds = models.JSONField(_("evidence that fulfils it"), default=list, blank=True)
    lead_times = models.JSONField(_("reminder lead times (days)"), default=default_lead_times, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        english = (get_language() or "vi")[:2] == "en"
        return (self.title_en if english else self.title_vi) or self.title_vi or self.title_en or self.code

    @property
    def kind_labels(self) -> list[str]:
        return [str(Kind(k).label) for k in self.applies_to_kinds or [] if k in Kind.values]

    @property
    def is_periodic(self) -> bool:
        return bool(self.fixed_dates) or self.period_months is not None

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if not self.is_periodic and not self.is_event_driven:
            errors.setdefault("period_months", []).append(
                _("Give a period, fixed due dates or mark the obligation as event-driven.")
            )
        if self.is_periodic and self.is_event_driven:
            errors.setdefault("is_event_driven", []).append(
                _("An event-driven obligation has no period or fixed dates.")
            )
        if not (self.title_vi.strip() or self.title_en.strip()):
            errors.setdefault("title_vi", []).append(_("Give the obligation a title."))
        self._clean_lists(errors)
        if not (self.applies_to_kinds or self.applies_to_systems or self.applies_to_network_members):
            errors.setdefault("applies_to_kinds", []).append(
                _("Say who owes it: organization types, network members or every system.")
            )
        if errors:
            raise ValidationError(errors)

    def _clean_lists(self, errors: dict[str, list]) -> None:
        bad_dates = [d for d in self.fixed_dates or [] if not _is_month_day(d)]
        if bad_dates or not isinstance(self.fixed_dates, list):
            errors.setdefault("fixed_dates", []).append(
                _("Write each date as MM-DD, e.g. 06-20; %(bad)s is not one.")
                % {"bad": ", ".join(map(str, bad_dates)) or self.fixed_dates}
            )
        if not isinstance(self.lead_times, list) or any(
            not isinstance(n, int) or isinstance(n, bool) or not 0 < n <= 366 for n in self.lead_times
        ):
            errors.setdefault("lead_times", []).append(
                _("Lead times are whole numbers of days between 1 and 366.")
            )
        if not isinstance(self.applies_to_kinds, list) or set(self.applies_to_kinds) - set(Kind.values):
            errors.setdefault("applies_to_kinds", []).append(_("Unknown organization type."))
        kinds = self.evidence_kinds
        if not isinstance(kinds, list) or not kinds or set(kinds) - set(EvidenceKind.values):
            errors.setdefault("evidence_kinds", []).append(
                _("Choose at least one kind of evidence from the list.")
            )


def _is_month_day(value) -> bool:
    if not isinstance(value, str) or not MONTH_DAY.match(value):
        return False
    month, day = map(int, value.split("-"))
    return day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)


class OccurrenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> OccurrenceQuerySet:
        """Tenancy gate: the owing organization's, or of a system the user sees (owner or operator)."""
        ids = visible_organization_ids(user)
        if ids is None:
            return self
        return self.filter(
            Q(organization_id__in=ids) | Q(system__owner_id__in=ids) | Q(system__operator_id__in=ids)
        )

    def open(self) -> OccurrenceQuerySet:
        return self.filter(status__in=[Occurrence.Status.DUE, Occurrence.Status.OVERDUE])


class Occurrence(TimeStampedModel):
    """One dated instance of an obligation for an organization (and system): due, done, overdue or waived."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        DONE = "done", _("Done")
        OVERDUE = "overdue", _("Overdue")
        WAIVED = "waived", _("Waived")

    EvidenceKind = EvidenceKind

    definition = models.ForeignKey(
        ObligationDefinition,
        verbose_name=_("obligation"),
        on_delete=models.PROTECT,
        related_name="occurrences",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="obligations"
    )
    system = models.ForeignKey(
        "systems.InformationSystem",
        verbose_name=_("information system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    period_start = models.DateField(_("period start"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_kind = models.CharField(_("evidence"), max_length=20, choices=EvidenceKind.choices, blank=True)
    evidence_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    evidence_id = models.PositiveBigIntegerField(null=True, blank=True)
    evidence = GenericForeignKey("evidence_type", "evidence_id")
    evidence_note = models.TextField(_("note"), blank=True)
    evidence_link = models.URLField(_("link"), max_length=500, blank=True)
    evidence_file = models.FileField(_("file"), upload_to="obligations/%Y/%m/", blank=True)
    waived_reason = models.TextField(_("reason for waiving"), blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("obligation occurrence")
        verbose_name_plural = _("obligation occurrences")
        constraints = [
            # NULLs are distinct in SQL, so the organization-wide and per-system cases get one rule each.
            models.UniqueConstraint(
                fields=["definition", "organization", "period_start"],
                condition=Q(system__isnull=True),
                name="one_org_occurrence_per_period",
            ),
            models.UniqueConstraint(
                fields=["definition", "system", "period_start"],
                condition=Q(system__isnull=False),
                name="one_system_occurrence_per_period",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("period_start")), name="due_after_start"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="done_has_a_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="waived") | ~Q(waived_reason=""), name="waived_has_a_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        where = self.system or self.organization
        return f"{self.definition} — {where} ({self.due_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("obligations:occurrence", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DUE, self.Status.OVERDUE)

    def check_open(self) -> None:
        """Pages and API refuse any input for a settled occurrence (409), whatever was sent."""
        if not self.is_open:
            raise Conflict(_("This occurrence is no longer open."))

    # Questions the pages ask (templates don't compare status strings).
    is_due = StateIs(Status.DUE)
    is_overdue = StateIs(Status.OVERDUE)
    is_done = StateIs(Status.DONE)
    is_waived = StateIs(Status.WAIVED)

    @property
    def was_late(self) -> bool:
        return self.status == self.Status.DONE and self.done_on is not None and self.done_on > self.due_on

    def days_left(self, today: datetime.date) -> int:
        return (self.due_on - today).days


class OccurrenceEvent(AppendOnlyModel):
    """Append-only audit of an occurrence: created by an event, done, waived."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        DONE = "done", _("marked done")
        WAIVED = "waived", _("waived")

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurrence_id}: {self.kind}"


class Reminder(models.Model):
    """Sent-log: the unique (occurrence, lead_days) row is what guarantees a reminder goes out once."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="reminders")
    lead_days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    # A lead time already passed when the occurrence appeared is logged as skipped, not sent late.
    skipped = models.BooleanField(default=False)
    # The notification batch (its dedupe_key) that carried this reminder; empty when skipped.
    message_key = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "lead_days"], name="one_reminder_per_lead_time")
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id} -{self.lead_days}d"


class CalendarToken(models.Model):
    """The SHA-256 digest of the secret in a user's iCalendar feed URL; a new one retires the old URL.

    The URL itself is shown once, when it is made; revoking deletes the row (the URL then answers 404).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}"


# What describes a duty: the coordinator's editor (forms.DefinitionForm) and the API show the same fields.
DEFINITION_FIELDS = [
    "code",
    "title_vi",
    "title_en",
    "source",
    "basis_vi",
    "period_months",
    "fixed_dates",
    "is_event_driven",
    "event_due_days",
    "applies_to_kinds",
    "applies_to_network_members",
    "applies_to_systems",
    "min_security_level",
    "evidence_kinds",
    "lead_times",
    "active",
]
