"""Response scenarios (kịch bản ứng cứu): reusable, per incident category, with ordered steps that become
an incident's tasks when applied (a playbook)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ungcuu.core import taxonomy
from ungcuu.core.models import TimeStampedModel
from ungcuu.core.text import fold, fold_many
from ungcuu.incidents.models import NORMAL_STEPS, SERIOUS_STEPS, Incident, Status, category_choices
from ungcuu.organizations.models import Organization, visible_organization_ids

# The workflow stages a step may belong to: the steps of the normal (QĐ05 Art. 13) and serious (Art. 14)
# procedures, in the order the incident page shows them.
STAGES: list[Status] = [*NORMAL_STEPS, *SERIOUS_STEPS]

# A scenario written for one procedure still applies when the incident follows the other: each stage has
# a counterpart, so the task is labelled with a stage the incident will actually pass through.
NORMAL_TO_SERIOUS: dict[Status, Status] = {
    Status.FIRST_ACTIONS: Status.TEAM_CONVENED,
    Status.OPTION_CHOSEN: Status.DIRECTION,
    Status.COORDINATING: Status.DIRECTION,
    Status.CONTAINED: Status.CONTAINMENT,
    Status.ERADICATED: Status.CONTAINMENT,
    Status.RESTORED: Status.CONTAINMENT,
    Status.EVALUATED: Status.EVALUATION,
}
SERIOUS_TO_NORMAL: dict[Status, Status] = {
    Status.TEAM_CONVENED: Status.FIRST_ACTIONS,
    Status.DIRECTION: Status.OPTION_CHOSEN,
    Status.INFO_RELEASE: Status.COORDINATING,
    Status.CONTAINMENT: Status.CONTAINED,
    Status.ROOT_CAUSE: Status.ERADICATED,
    Status.EVALUATION: Status.EVALUATED,
}
# Longest due offset a step may carry: 90 days, beyond which it is a project, not a response step.
MAX_OFFSET_HOURS = 24 * 90


def stage_choices() -> list[tuple[str, str]]:
    return [(stage.value, str(stage.label)) for stage in STAGES]


def stage_for(stage: str, procedure: str) -> Status:
    """The stage a step falls in for an incident following `procedure` ("normal" or "serious")."""
    value = Status(stage)
    if procedure == "serious":
        return NORMAL_TO_SERIOUS.get(value, value)
    return SERIOUS_TO_NORMAL.get(value, value)


def role_label(code: str) -> str:
    entry = taxonomy.roles().get(code)
    return taxonomy.label(entry) if entry else code


def category_label(code: str) -> str:
    entry = taxonomy.incident_categories().get(code) or taxonomy.incident_groups().get(code)
    return taxonomy.label(entry) if entry else code


def category_group(code: str) -> str:
    return (code or "").split(".", 1)[0]


class ScenarioQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScenarioQuerySet:
        """The provincial library (no organization) is read by every signed-in user; a unit's own
        scenarios by whoever sees that unit."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        ids = visible_organization_ids(user)
        if ids is None:
            return self
        return self.filter(Q(organization__isnull=True) | Q(organization_id__in=ids))

    def active(self) -> ScenarioQuerySet:
        return self.filter(is_active=True)

    def search(self, query: str) -> ScenarioQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Scenario(TimeStampedModel):
    """A reusable response scenario for one incident category; library-wide or one unit's own."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scenarios",
        help_text=_("Empty for the provincial library, which every unit may use."),
    )
    category = models.CharField(_("incident category"), max_length=40, choices=category_choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    search_text = models.TextField(editable=False, default="")

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["category", "title", "id"]
        verbose_name = _("response scenario")
        verbose_name_plural = _("response scenarios")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold_many(self.title, self.description, self.category)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("preparedness:scenario_detail", args=[self.pk])

    @property
    def is_library(self) -> bool:
        return self.organization_id is None

    @property
    def group(self) -> str:
        return category_group(self.category)

    def snapshot(self) -> dict:
        """What a plan version keeps of this scenario: steps may change later, the approved plan may not."""
        return {
            "id": self.pk,
            "category": self.category,
            "title": self.title,
            "description": self.description,
            "steps": [step.snapshot() for step in self.steps.all()],
        }


class ScenarioStep(models.Model):
    """One ordered response step: its workflow stage, who does it, and how soon after the playbook starts."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    stage = models.CharField(_("workflow stage"), max_length=20, choices=stage_choices)
    title = models.CharField(_("step"), max_length=250)
    detail = models.TextField(_("detail"), blank=True)
    owner_role = models.CharField(_("done by"), max_length=40, choices=taxonomy.role_choices)
    due_offset_hours = models.PositiveIntegerField(
        _("due after (hours)"),
        default=0,
        validators=[MaxValueValidator(MAX_OFFSET_HOURS)],
        help_text=_("Hours after the playbook is applied; 0 means no due time."),
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["scenario", "order"], name="one_step_per_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def owner_role_label(self) -> str:
        return role_label(self.owner_role)

    def snapshot(self) -> dict:
        fields = ("order", "stage", "title", "detail", "owner_role", "due_offset_hours")
        return {name: getattr(self, name) for name in fields}


class PlaybookRun(models.Model):
    """That a scenario was turned into an incident's tasks, once: applying it again adds nothing."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="playbook_runs")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="runs")
    plan = models.ForeignKey(
        "preparedness.ResponsePlan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    task_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "scenario"], name="one_run_per_incident_scenario")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} ← {self.scenario_id}"
