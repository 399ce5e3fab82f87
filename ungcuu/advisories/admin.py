from django.contrib import admin

from ungcuu.advisories.models import Advisory, Indicator


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: advisories and indicators change through the services so the audit rows are kept."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Advisory)
class AdvisoryAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "status", "tlp", "deadline", "published_at")
    list_filter = ("status", "tlp")
    search_fields = ("reference", "title")
    date_hierarchy = "created_at"


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("kind", "value", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)
