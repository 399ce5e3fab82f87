"""Scans and findings in the admin are for looking: imports and decisions go through the audited services."""

from django.contrib import admin

from ungcuu.core.admin import ReadOnlyAdminMixin
from ungcuu.vulnerabilities.models import Finding, FindingEvent, Scan, ScanHost


class ScanHostInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScanHost
    extra = 0
    fields = readonly_fields = ("ip", "hostname", "system", "matched_by", "assigned_by", "assigned_at")


@admin.register(Scan)
class ScanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "organization",
        "tool",
        "observed_at",
        "host_count",
        "new_count",
        "fixed_count",
    )
    list_filter = ("tool", "is_full")
    search_fields = ("report_name", "file_name", "sha256", "organization__name")
    inlines = [ScanHostInline]


class FindingEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FindingEvent
    extra = 0
    fields = readonly_fields = ("at", "kind", "from_status", "to_status", "actor", "scan", "note")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "system", "severity", "status", "due_on", "last_seen")
    list_filter = ("severity", "status", "tool")
    search_fields = ("name", "check_id", "search_text", "system__name")
    inlines = [FindingEventInline]
