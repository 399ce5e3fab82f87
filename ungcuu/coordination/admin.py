from django.contrib import admin

from ungcuu.coordination.models import CoordinationRequest
from ungcuu.core.admin import ReadOnlyAdminMixin


@admin.register(CoordinationRequest)
class CoordinationRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: requests are sent and answered through the services so the incident timeline is kept."""

    list_display = ("reference", "kind", "recipient", "status", "deadline", "confidential", "created_at")
    list_filter = ("status", "kind", "confidential")
    search_fields = ("reference", "incident__reference", "recipient__name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
