from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ungcuu.accounts.models import User
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
