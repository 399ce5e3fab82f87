from django.contrib import admin

from ungcuu.audit.models import AuditEvent
from ungcuu.core.admin import ReadOnlyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The trail is read-only, admin included (the model refuses edits anyway)."""

    list_display = ("at", "actor_name", "action", "target_label", "organization", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_name", "target_label", "target_id")
