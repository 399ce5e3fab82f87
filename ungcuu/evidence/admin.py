"""Evidence in the admin is for looking only: files change hands through the audited services."""

from django.contrib import admin

from ungcuu.core.admin import ReadOnlyAdminMixin
from ungcuu.evidence.models import CustodyEntry, Evidence


class CustodyInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CustodyEntry
    extra = 0
    fields = readonly_fields = ("at", "action", "actor", "ip_address", "note")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "original_name",
        "incident",
        "kind",
        "classification",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("kind", "classification")
    search_fields = ("original_name", "sha256", "incident__reference")
    # No file link: a copy must go through the audited download, never straight from storage.
    fields = readonly_fields = (
        "incident",
        "original_name",
        "stored_as",
        "size",
        "sha256",
        "content_type",
        "kind",
        "classification",
        "description",
        "uploaded_by",
        "uploaded_at",
    )
    inlines = [CustodyInline]

    @admin.display(description="stored as")
    def stored_as(self, obj: Evidence) -> str:
        return obj.file.name
