"""Admin: read-only; changes go through the services, so versions and audit stay whole."""

from django.contrib import admin

from ungcuu.preparedness.models import (
    Drill,
    PlanVersion,
    PreparednessEvent,
    ResponsePlan,
    Scenario,
    ScenarioStep,
    TrainingCourse,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    model = ScenarioStep
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponsePlan)
class ResponsePlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "status", "approved_on", "decision_number", "review_due_on")
    list_filter = ("status",)
    search_fields = ("title", "decision_number", "organization__name")
    list_select_related = ("organization",)


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("plan", "number", "reason", "status", "created_at", "created_by")
    list_filter = ("reason",)


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("title", "category", "organization", "is_active")
    list_filter = ("is_active",)
    search_fields = ("title", "category")
    inlines = [StepInline]


@admin.register(Drill)
class DrillAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "organization", "scheduled_on", "status", "held_on")
    list_filter = ("kind", "status")
    search_fields = ("title",)


@admin.register(TrainingCourse)
class TrainingCourseAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "starts_on", "ends_on")
    search_fields = ("title", "provider")


@admin.register(PreparednessEvent)
class PreparednessEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "subject_type", "subject_id", "organization", "actor")
    list_filter = ("kind", "subject_type")
