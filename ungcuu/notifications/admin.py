from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ungcuu.notifications import services
from ungcuu.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Delivery rows are the outbox's record: viewable, retryable, never edited by hand."""

    list_display = (
        "created_at",
        "event",
        "channel",
        "recipient_label",
        "state",
        "attempts",
        "next_attempt_at",
    )
    list_filter = ("state", "channel", "event")
    search_fields = ("to_address", "subject", "recipient_user__username", "incident__reference")
    date_hierarchy = "created_at"
    list_select_related = ("recipient_user", "recipient_org")
    actions = ["retry_now"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = services.retry_now(actor=request.user, notifications=queryset)
        message = ngettext("%(n)d notification queued again.", "%(n)d notifications queued again.", count)
        self.message_user(request, message % {"n": count}, messages.SUCCESS)
