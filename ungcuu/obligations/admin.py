"""Obligations in the admin: definitions are data the coordinator edits; occurrences are for looking."""

from django.contrib import admin

from ungcuu.core.admin import ReadOnlyAdminMixin
from ungcuu.obligations.models import (
    CalendarToken,
    ObligationDefinition,
    Occurrence,
    OccurrenceEvent,
    Reminder,
)


@admin.register(ObligationDefinition)
class ObligationDefinitionAdmin(admin.ModelAdmin):
    # The model's clean() runs on save, so the admin refuses a duty with no period, date or event.
    list_display = ("code", "title_vi", "title_en", "period_months", "is_event_driven", "active")
    list_filter = ("active", "is_event_driven", "applies_to_systems")
    search_fields = ("code", "title_vi", "title_en")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OccurrenceEvent
    extra = 0
    fields = readonly_fields = ("at", "kind", "actor", "note")


class ReminderInline(EventInline):
    model = Reminder
    fields = readonly_fields = ("lead_days", "sent_at", "skipped")


@admin.register(Occurrence)
class OccurrenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("definition", "organization", "system", "due_on", "status", "done_on")
    list_filter = ("status", "definition")
    search_fields = ("organization__name", "system__name", "definition__code")
    date_hierarchy = "due_on"
    list_select_related = ("definition", "organization", "system")
    inlines = [EventInline, ReminderInline]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "created_at")
    exclude = ("digest",)  # only a digest is stored; nothing here opens the feed
