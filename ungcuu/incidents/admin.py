from django.contrib import admin

from ungcuu.core.admin import ReadOnlyAdminMixin
from ungcuu.incidents.models import Incident, TimelineEvent


class ReadOnlyTimeline(ReadOnlyAdminMixin, admin.TabularInline):
    """The timeline is append-only, admin included: no add, change or delete here."""

    model = TimelineEvent
    extra = 0
    readonly_fields = ("at", "kind", "actor", "message", "data")


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "status", "severity", "category", "reported_at")
    list_filter = ("status", "severity", "confidential")
    search_fields = ("reference", "search_text")
    readonly_fields = ("reference", "status", "severity", "severity_reasons")
    inlines = [ReadOnlyTimeline]

    def has_delete_permission(self, request, obj=None):
        return False
