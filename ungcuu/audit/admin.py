from django.contrib import admin

from ungcuu.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The trail is read-only, admin included (the model refuses edits anyway)."""

    list_display = ("at", "actor_name", "action", "target_label", "organization", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_name", "target_label", "target_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
