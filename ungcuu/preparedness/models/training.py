"""Training courses and who attended them, per organization: one input of the readiness picture."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ungcuu.core.models import TimeStampedModel
from ungcuu.core.text import fold, fold_many
from ungcuu.organizations.models import Organization, visible_organization_ids


class TrainingCourseQuerySet(models.QuerySet):
    def visible_to(self, user) -> TrainingCourseQuerySet:
        """A course is seen by its organizer and by the organizations whose staff attended."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        ids = visible_organization_ids(user)
        if ids is None:
            return self
        attended = TrainingAttendee.objects.filter(organization_id__in=ids).values("course_id")
        return self.filter(Q(organization_id__in=ids) | Q(pk__in=attended))

    def search(self, query: str) -> TrainingCourseQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class TrainingCourse(TimeStampedModel):
    """A course that took place (training and drill programme, S0 §II.5), with its attendees."""

    title = models.CharField(_("title"), max_length=300)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="training_courses"
    )
    provider = models.CharField(_("trainer or provider"), max_length=300, blank=True)
    topic = models.TextField(_("topics"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    search_text = models.TextField(editable=False, default="")

    objects = TrainingCourseQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="course_ends_after_start",
                violation_error_message=_("A course cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold_many(self.title, self.provider, self.topic)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("preparedness:course_detail", args=[self.pk])


class TrainingAttendee(models.Model):
    """One person who attended, with the organization they work for."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="attendees")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    # Folded name: the same person counts once per organization in the readiness picture.
    name_key = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        ordering = ["organization__name", "full_name", "id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = fold(self.full_name)[:200]
        super().save(*args, **kwargs)
