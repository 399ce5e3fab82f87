from django.contrib import admin

from ungcuu.core.admin import ReadOnlyAdminMixin
from ungcuu.reports.models import IncidentDamage, PeriodicReport, PeriodicReportEvent


@admin.register(PeriodicReport)
class PeriodicReportAdmin(admin.ModelAdmin):
    """Read-mostly: status changes go through the services (the pages), which keep the event history."""

    list_display = ["organization", "kind", "span", "year", "half", "status", "submitted_at"]
    list_filter = ["kind", "span", "status", "year"]
    search_fields = ["organization__name", "organization__code"]
    readonly_fields = ["status", "figures", "submitted_at", "submitted_by", "decided_at", "decided_by"]


@admin.register(PeriodicReportEvent)
class PeriodicReportEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The history is append-only: written by the services, only looked at here."""

    list_display = ["report", "kind", "actor", "at"]


@admin.register(IncidentDamage)
class IncidentDamageAdmin(admin.ModelAdmin):
    list_display = ["incident", "amount_vnd", "foreign_help", "foreign_helpers"]
    search_fields = ["incident__reference"]
