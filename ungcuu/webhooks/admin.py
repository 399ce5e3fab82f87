from django.contrib import admin

from ungcuu.webhooks.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-only here: changes go through the pages (services, audit); the secret is never shown."""

    list_display = ["organization", "name", "url", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    exclude = ["secret", "previous_secret"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subscription", "event", "state", "attempts", "next_attempt_at"]
    list_filter = ["state", "event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
