"""The append-only audit trail of preparedness: who drafted, approved, drilled, closed what, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ungcuu.core import clock
from ungcuu.organizations.models import Organization
from ungcuu.preparedness.models.base import AppendOnlyModel


class PreparednessEvent(AppendOnlyModel):
    """One audit row per rule-bearing change (STYLE rule 2), named by a loose subject reference."""

    class Kind(models.TextChoices):
        PLAN_CREATED = "plan_created", _("plan drafted")
        PLAN_UPDATED = "plan_updated", _("plan edited")
        PLAN_APPROVED = "plan_approved", _("plan approved")
        PLAN_REVIEWED = "plan_reviewed", _("plan reviewed")
        PLAN_REVISED = "plan_revised", _("revision started")
        PLAN_SUPERSEDED = "plan_superseded", _("plan superseded")
        SCENARIO_CREATED = "scenario_created", _("scenario created")
        SCENARIO_UPDATED = "scenario_updated", _("scenario edited")
        PLAYBOOK_APPLIED = "playbook_applied", _("playbook applied to an incident")
        DRILL_PLANNED = "drill_planned", _("drill planned")
        DRILL_UPDATED = "drill_updated", _("drill edited")
        DRILL_HELD = "drill_held", _("drill recorded as held")
        DRILL_CANCELLED = "drill_cancelled", _("drill cancelled")
        FINDING_ADDED = "finding_added", _("finding added")
        FOLLOW_UP_ADDED = "follow_up_added", _("follow-up action added")
        FOLLOW_UP_DONE = "follow_up_done", _("follow-up action closed")
        COURSE_RECORDED = "course_recorded", _("training course recorded")
        COURSE_UPDATED = "course_updated", _("training course edited")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Loose reference (type + id): one trail for plans, scenarios, drills, courses and incidents.
    subject_type = models.CharField(max_length=20)
    subject_id = models.PositiveIntegerField()
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} {self.kind}"
