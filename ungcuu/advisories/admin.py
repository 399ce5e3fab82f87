"""Read-only: advisories and indicators change through the services so the audit rows are kept."""

from django.contrib import admin

from ungcuu.advisories.models import Advisory, Indicator
from ungcuu.core.admin import ReadOnlyAdminMixin


@admin.register(Advisory)
class AdvisoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "title", "status", "tlp", "deadline", "published_at")
    list_filter = ("status", "tlp")
    search_fields = ("reference", "title")
    date_hierarchy = "created_at"


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "value", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)
