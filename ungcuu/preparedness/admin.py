"""Admin: read-only; changes go through the services, so versions and audit stay whole."""

from django.contrib import admin

from ungcuu.core.admin import ReadOnlyAdminMixin
from ungcuu.preparedness.models import (
    Drill,
    PlanVersion,
    PreparednessEvent,
    ResponsePlan,
    Scenario,
    ScenarioStep,
    TrainingCourse,
)


class StepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScenarioStep
    extra = 0


@admin.register(ResponsePlan)
class ResponsePlanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "organization", "status", "approved_on", "decision_number", "review_due_on")
    list_filter = ("status",)
    search_fields = ("title", "decision_number", "organization__name")
    list_select_related = ("organization",)


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("plan", "number", "reason", "status", "created_at", "created_by")
    list_filter = ("reason",)


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "category", "organization", "is_active")
    list_filter = ("is_active",)
    search_fields = ("title", "category")
    inlines = [StepInline]


@admin.register(Drill)
class DrillAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "organization", "scheduled_on", "status", "held_on")
    list_filter = ("kind", "status")
    search_fields = ("title",)


@admin.register(TrainingCourse)
class TrainingCourseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "organization", "starts_on", "ends_on")
    search_fields = ("title", "provider")


@admin.register(PreparednessEvent)
class PreparednessEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "kind", "subject_type", "subject_id", "organization", "actor")
    list_filter = ("kind", "subject_type")
