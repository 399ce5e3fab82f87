"""Response plans (phương án ứng cứu sự cố) per organization and system, with their version history."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ungcuu.core import clock
from ungcuu.core.models import TimeStampedModel
from ungcuu.core.states import StateIs
from ungcuu.core.text import fold, fold_many
from ungcuu.organizations.models import FocalPoint, Organization, visible_organization_ids
from ungcuu.preparedness.models.base import AppendOnlyModel, AppendOnlyQuerySet
from ungcuu.preparedness.models.scenarios import Scenario
from ungcuu.systems.models import InformationSystem


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class ResourceKind(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment")
    LICENCE = "licence", _("Software licence")
    EXPERT = "expert", _("Expert")
    PROVIDER = "provider", _("Contracted provider")


RESOURCE_KEYS = {"kind", "name", "quantity", "note"}


def validate_resources(value) -> None:
    """Resources are a list of {kind, name, quantity, note}: the readiness annex of S0 §II.5."""
    if not isinstance(value, list):
        raise ValidationError(_("Resources must be a list."))
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict) or set(row) - RESOURCE_KEYS:
            raise ValidationError(_("Resource %(n)s: unexpected shape."), params={"n": number})
        if row.get("kind") not in ResourceKind.values:
            raise ValidationError(_("Resource %(n)s: unknown kind."), params={"n": number})
        if not str(row.get("name") or "").strip():
            raise ValidationError(_("Resource %(n)s: give it a name."), params={"n": number})
        quantity = row.get("quantity")
        if quantity is not None and (
            not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0
        ):
            raise ValidationError(_("Resource %(n)s: the quantity is a whole number."), params={"n": number})


def one_year_after(day: datetime.date) -> datetime.date:
    """The annual review date; 29 February falls back to 28 February."""
    return day + relativedelta(years=1)


class ResponsePlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResponsePlanQuerySet:
        """A plan is read by whoever sees the organization it belongs to."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        ids = visible_organization_ids(user)
        return self if ids is None else self.filter(organization_id__in=ids)

    def approved(self) -> ResponsePlanQuerySet:
        return self.filter(status=PlanStatus.APPROVED)

    def current(self, today: datetime.date | None = None) -> ResponsePlanQuerySet:
        """Approved and not past its annual review date."""
        return self.approved().filter(review_due_on__gte=today or timezone.localdate())

    def out_of_date(self, today: datetime.date | None = None) -> ResponsePlanQuerySet:
        return self.approved().filter(review_due_on__lt=today or timezone.localdate())

    def search(self, query: str) -> ResponsePlanQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class ResponsePlan(TimeStampedModel):
    """One edition of a unit's response plan; approved editions are frozen and revised by a new draft."""

    Status = PlanStatus

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="response_plans"
    )
    title = models.CharField(_("title"), max_length=300)
    systems = models.ManyToManyField(
        InformationSystem, verbose_name=_("systems covered"), blank=True, related_name="response_plans"
    )
    scenarios = models.ManyToManyField(
        Scenario, verbose_name=_("scenarios"), blank=True, related_name="plans"
    )
    scope = models.TextField(_("scope"), blank=True)
    severity_criteria = models.TextField(_("severity criteria"), blank=True)
    roles = models.TextField(_("roles and responsibilities"), blank=True)
    people = models.ManyToManyField(
        FocalPoint, verbose_name=_("people"), blank=True, related_name="response_plans"
    )
    resources = models.JSONField(_("resources"), default=list, blank=True, validators=[validate_resources])
    budget_estimate = models.PositiveBigIntegerField(_("budget estimate (VND)"), default=0)
    external_contacts = models.TextField(_("external contacts"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    drafted_on = models.DateField(_("drafted on"), default=timezone.localdate)
    approved_by_name = models.CharField(_("approved by"), max_length=200, blank=True)
    approved_by_title = models.CharField(_("approver's title"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    review_due_on = models.DateField(_("annual review due"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("revises"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    search_text = models.TextField(editable=False, default="")

    objects = ResponsePlanQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "-drafted_on", "-id"]
        verbose_name = _("response plan")
        verbose_name_plural = _("response plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(approved_on__gte=F("drafted_on")),
                name="plan_approved_after_drafted",
                violation_error_message=_("A plan cannot be approved before it was drafted."),
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT)
                | (Q(approved_on__isnull=False) & ~Q(decision_number="") & ~Q(approved_by_name="")),
                name="approved_plan_has_decision",
                violation_error_message=_("An approved plan needs its approver, date and decision number."),
            ),
        ]
        indexes = [models.Index(fields=["status", "review_due_on"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold_many(self.title, self.decision_number, self.scope)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("preparedness:plan_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    is_in_force = StateIs(PlanStatus.APPROVED)  # a question the plan page asks

    @property
    def is_out_of_date(self) -> bool:
        return (
            self.status == PlanStatus.APPROVED
            and self.review_due_on is not None
            and self.review_due_on < timezone.localdate()
        )

    def covered_systems(self):
        """The systems listed; a plan that lists none covers every system its organization operates."""
        if self.systems.exists():
            return self.systems.all()
        return InformationSystem.objects.filter(operator=self.organization, is_active=True)

    @property
    def resources_display(self) -> list[dict]:
        labels = dict(ResourceKind.choices)
        return [{**row, "kind_label": labels.get(row.get("kind"), row.get("kind"))} for row in self.resources]

    def snapshot(self) -> dict:
        """Everything the plan says, as plain JSON: what a version keeps and what the DOCX prints."""
        org = self.organization
        return {
            "id": self.pk,
            "title": self.title,
            "organization": {"id": org.pk, "code": org.code, "name": org.name, "owner_name": org.owner_name},
            "systems": [
                {"id": s.pk, "name": s.name, "security_level": s.security_level, "operator": str(s.operator)}
                for s in self.systems.select_related("operator").order_by("name")
            ],
            "scenarios": [
                s.snapshot() for s in self.scenarios.prefetch_related("steps").order_by("category")
            ],
            "scope": self.scope,
            "severity_criteria": self.severity_criteria,
            "roles": self.roles,
            "people": [
                {
                    "id": p.pk,
                    "full_name": p.full_name,
                    "title": p.title,
                    "phone": p.mobile or p.office_phone,
                    "email": p.email,
                }
                for p in self.people.order_by("full_name")
            ],
            "resources": list(self.resources),
            "budget_estimate": self.budget_estimate,
            "external_contacts": self.external_contacts,
            "status": self.status,
            "drafted_on": _iso(self.drafted_on),
            "approved_by_name": self.approved_by_name,
            "approved_by_title": self.approved_by_title,
            "approved_on": _iso(self.approved_on),
            "decision_number": self.decision_number,
            "review_due_on": _iso(self.review_due_on),
            "last_reviewed_on": _iso(self.last_reviewed_on),
        }


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


class PlanVersionQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user) -> PlanVersionQuerySet:
        """A version is read with its plan."""
        return self.filter(plan__in=ResponsePlan.objects.visible_to(user))


class PlanVersion(AppendOnlyModel):
    """An immutable snapshot of a plan at each save, approval and review: the version history."""

    class Reason(models.TextChoices):
        CREATED = "created", _("drafted")
        EDITED = "edited", _("edited")
        APPROVED = "approved", _("approved")
        REVIEWED = "reviewed", _("annual review")
        SUPERSEDED = "superseded", _("superseded")

    plan = models.ForeignKey(ResponsePlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices)
    review_due_on = models.DateField(_("annual review due"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Its own append-only queryset (adds visible_to); django-stubs flags any manager override here.
    objects = PlanVersionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number")]

    def __str__(self) -> str:
        return gettext("%(plan)s, version %(n)s") % {"plan": self.snapshot.get("title", ""), "n": self.number}

    def get_absolute_url(self) -> str:
        return reverse("preparedness:plan_version", args=[self.plan_id, self.pk])
