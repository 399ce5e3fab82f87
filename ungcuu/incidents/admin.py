from django.contrib import admin

from ungcuu.incidents.models import Incident, TimelineEvent


class ReadOnlyTimeline(admin.TabularInline):
    """The timeline is append-only, admin included: no add, change or delete here."""

    model = TimelineEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "kind", "actor", "message", "data")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "status", "severity", "category", "reported_at")
    list_filter = ("status", "severity", "confidential")
    search_fields = ("reference", "search_text")
    readonly_fields = ("reference", "status", "severity", "severity_reasons")
    inlines = [ReadOnlyTimeline]

    def has_delete_permission(self, request, obj=None):
        return False
