from django.contrib import admin

from ungcuu.federation.models import InboxMessage, OutboxMessage, Peer


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    """Provinces registered on the national instance (`manage.py federation_peer` does the same)."""

    list_display = ["code", "name", "base_url", "is_active"]
    exclude = ["secret"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "destination", "stream", "seq", "kind", "state", "attempts"]
    list_filter = ["state", "kind"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "stream", "seq", "kind", "duplicates"]
    readonly_fields = [f.name for f in InboxMessage._meta.fields]
