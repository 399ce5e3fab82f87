from django.contrib import admin

from ungcuu.alerts.models import AlertGroup


@admin.register(AlertGroup)
class AlertGroupAdmin(admin.ModelAdmin):
    list_display = ["source", "dedup_key", "organization", "status", "severity", "count", "last_seen"]
    list_filter = ["status", "severity", "source"]
    search_fields = ["dedup_key", "title", "host"]
    raw_id_fields = ["organization", "system", "incident", "promoted_by"]
