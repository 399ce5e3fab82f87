from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.accounts.models import ApiToken, User
from ungcuu.audit.models import AuditEvent
from ungcuu.audit.requests import request_meta
from ungcuu.audit.services import record_event

# Fields that grant rights across the platform: a change to any of them is an audited permission change.
RIGHTS_FIELDS = ("platform_role", "is_superuser", "is_staff", "is_active")


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Ứng Cứu", {"fields": ("platform_role", "title", "phone")}))
    list_display = ("username", "email", "first_name", "last_name", "platform_role", "is_staff")
    list_filter = ("platform_role", "is_staff", "is_active")

    def save_model(self, request, obj, form, change):
        before = _rights(User.objects.get(pk=obj.pk)) if change else dict.fromkeys(RIGHTS_FIELDS)
        super().save_model(request, obj, form, change)
        after = _rights(obj)
        changes = [f"{f}: {before[f]} → {after[f]}" for f in RIGHTS_FIELDS if before[f] != after[f]]
        if changes:
            record_event(
                actor=request.user,
                action=AuditEvent.Action.PLATFORM_ROLE_CHANGED,
                target=obj,
                detail="; ".join(changes),
                request_meta=request_meta(request),
            )


def _rights(user: User) -> dict:
    return {field: getattr(user, field) for field in RIGHTS_FIELDS}


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see and revoke tokens; the secret is not stored, so it cannot be shown."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    exclude = ("digest", "password_stamp")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
