from django.contrib import admin

from ungcuu.interop.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """Read-only: the log is what happened; changing it would hide a message's fate."""

    list_display = ["received_at", "sender", "subject", "outcome", "reason", "incident"]
    list_filter = ["outcome", "reason"]
    search_fields = ["sender", "subject", "message_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
