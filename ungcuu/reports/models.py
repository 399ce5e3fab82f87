"""Periodic reports a unit submits inside the platform, their audit trail, and per-incident damage figures."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ungcuu.core import clock
from ungcuu.core.models import AppendOnlyModel, TimeStampedModel
from ungcuu.core.periods import Period
from ungcuu.core.states import TransitionsMixin
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import Organization, organization_roles, visible_organization_ids


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Periodic report to the specialised unit")
    FORM05 = "form05", _("Form 05 summary to the national coordinator")


class Span(models.TextChoices):
    HALF_YEAR = "half_year", _("6 months")
    ANNUAL = "annual", _("Annual")


def covered_period(kind: str, span: str, year: int, half: int | None) -> Period:
    """The days a report covers. Form 05 has a half-year report and an annual one, each with its cut-off
    (TT20 Art. 6, DOMAIN.md §g; `Period.reporting`); the unit's report to the specialised unit (S0 §IV.2)
    covers calendar halves and years."""
    if kind == ReportKind.FORM05:
        return Period.reporting(year, "RY" if span == Span.ANNUAL else "R6")
    return Period.year(year) if span == Span.ANNUAL else Period.half(year, half or 1)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")


# What the specialised unit (and, for form 05, the national coordinator) may read: never a draft.
SENT = (Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED)


class PeriodicReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> PeriodicReportQuerySet:
        """Tenancy gate: a unit sees its own organizations' reports, drafts included.

        The coordinator sees every report once sent; the national coordinator sees the sent form 05
        summaries (its own form). Both also see their own organizations' drafts.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        own = Q(organization_id__in=set(organization_roles(user)))
        if user.is_coordinator:
            return self.filter(own | Q(status__in=SENT))
        if user.is_national:
            return self.filter(own | Q(status__in=SENT, kind=ReportKind.FORM05))
        return self.filter(organization_id__in=visible_organization_ids(user) or set())


class PeriodicReport(TransitionsMixin, TimeStampedModel):
    """A unit's 6-month or annual report (or its form 05), drafted, then sent to the specialised unit.

    At submission the figures built from the data are frozen in `figures`, so the report the unit sent
    stays what it was even when incidents are later reclassified.
    """

    Kind = ReportKind
    Span = Span
    Status = Status

    # The one place that says which moves are legal (STYLE rule 4).
    TRANSITION_ERROR = _("A report in state “%(from)s” cannot become “%(to)s”.")
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.RETURNED},
        Status.ACCEPTED: set(),
    }

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="periodic_reports",
    )
    kind = models.CharField(_("kind of report"), max_length=20, choices=ReportKind.choices)
    span = models.CharField(_("period"), max_length=20, choices=Span.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    half = models.PositiveSmallIntegerField(
        _("half of the year"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    narrative = models.TextField(_("situation and results"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(_("figures frozen at submission"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("specialised unit's note"), blank=True)

    objects = PeriodicReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "organization__name", "kind"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "period_start", "period_end"],
                name="one_periodic_report_per_period",
                violation_error_message=_("This organization already has this report for this period."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="periodic_report_period_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organization} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reports:periodic_detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return covered_period(self.kind, self.span, self.year, self.half)

    @property
    def period_label(self) -> str:
        if self.kind == ReportKind.FORM05:  # cut-off days, not calendar halves (`covered_period`)
            return f"{self.period_start:%d/%m/%Y} - {self.period_end:%d/%m/%Y}"
        if self.span == Span.ANNUAL:
            return gettext("Year %(year)s") % {"year": self.year}
        return gettext("Half %(half)s of %(year)s") % {"half": self.half, "year": self.year}

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    @property
    def is_frozen(self) -> bool:
        return bool(self.figures) and not self.is_editable


class PeriodicReportEvent(AppendOnlyModel):
    """Append-only history of a periodic report: who drafted, edited, sent, accepted or returned it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Draft started")
        UPDATED = "updated", _("Text edited")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for revision")

    report = models.ForeignKey(PeriodicReport, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class IncidentDamage(TimeStampedModel):
    """Form 05's estimated damage and foreign help for one incident.

    Kept here rather than on `Incident` because the incident model belongs to the incident loop; the
    figures only matter to the periodic reports. One row per incident, edited from the reports pages.
    """

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="damage")
    amount_vnd = models.PositiveBigIntegerField(
        _("estimated damage (VND)"), default=0, validators=[MaxValueValidator(10**15)]
    )
    foreign_help = models.BooleanField(_("helped by a foreign organization"), default=False)
    foreign_helpers = models.CharField(_("foreign organizations that helped"), max_length=300, blank=True)
    note = models.TextField(_("how the damage was estimated"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("incident damage")
        verbose_name_plural = _("incident damages")
        constraints = [
            models.CheckConstraint(
                condition=Q(foreign_help=True) | Q(foreign_helpers=""),
                name="foreign_helpers_only_with_foreign_help",
                violation_error_message=_("Name foreign helpers only when a foreign organization helped."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.amount_vnd} VND"


class DocumentBuildQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentBuildQuerySet:
        """A prepared file is its requester's alone: anyone else is answered 404 (the page's own gate is
        asked again at download, reports.builds)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(requested_by=user)


class DocumentBuild(TimeStampedModel):
    """A document file prepared in the background for one person, because writing it takes seconds."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    # A build still waiting or running after this is taken for lost (its worker died): retry is offered.
    STALE_AFTER = datetime.timedelta(minutes=10)

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=500)  # the document page's path and query (reports.builds.page_of)
    format = models.CharField(max_length=8)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True, max_length=255)
    filename = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("prepared document")
        verbose_name_plural = _("prepared documents")
        indexes = [models.Index(fields=["requested_by", "page", "format", "created_at"])]

    def __str__(self) -> str:
        return f"{self.page} {self.format} {self.state}"

    @property
    def is_stale(self) -> bool:
        working = self.state in (self.State.PENDING, self.State.RUNNING)
        return working and timezone.now() - self.created_at > self.STALE_AFTER

    @property
    def is_working(self) -> bool:
        return self.state in (self.State.PENDING, self.State.RUNNING) and not self.is_stale

    @property
    def has_failed(self) -> bool:
        return self.state == self.State.FAILED or self.is_stale

    def seconds(self) -> int:
        """Seconds since it was asked for (shown while it is prepared)."""
        return max(0, int((timezone.now() - self.created_at).total_seconds()))


class FigureSnapshot(models.Model):
    """The aggregate figures of one scope, period and hidden set, kept so that a page does not count a
    year of incidents on every request (issue 18; reports.snapshots). `key` is a digest of everything the
    figures depend on, so a snapshot can only ever be served to someone who would compute the same."""

    key = models.CharField(max_length=64, unique=True)
    spec = models.JSONField()  # what to compute it again from (reports.snapshots.Spec)
    data = models.JSONField()
    as_of = models.DateTimeField()  # the `now` the figures used (deadlines overdue or running)
    computed_at = models.DateTimeField()
    read_at = models.DateTimeField()  # last served (at most hourly): the scheduler refreshes recent ones
    refreshing_since = models.DateTimeField(null=True, blank=True)  # one refresh per key at a time

    class Meta:
        indexes = [models.Index(fields=["read_at"])]

    def __str__(self) -> str:
        return f"{self.spec.get('kind')} {self.key[:12]} {self.as_of:%Y-%m-%d %H:%M}"
