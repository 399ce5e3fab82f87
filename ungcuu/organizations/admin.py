from django.contrib import admin

from ungcuu.audit.models import AuditEvent
from ungcuu.audit.requests import request_meta
from ungcuu.audit.services import record_event
from ungcuu.core.admin import ReadOnlyAdminMixin
from ungcuu.organizations.models import FocalPoint, Membership, Organization, StaffChange

Action = AuditEvent.Action


def _audit_membership(request, membership: Membership, action: str, detail: str) -> None:
    """Memberships edited in the admin are permission changes like those made in the app."""
    record_event(
        actor=request.user,
        action=action,
        target=membership.user,
        organization=membership.organization,
        detail=detail,
        request_meta=request_meta(request),
    )


class AuditedMembershipFormsetMixin:
    """Audits memberships added, changed or removed through an inline on the organization page."""

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        for membership in formset.new_objects:
            _audit_membership(request, membership, Action.MEMBER_ADDED, membership.role)
        for membership, _fields in formset.changed_objects:
            _audit_membership(request, membership, Action.MEMBER_ROLE_CHANGED, membership.role)
        for membership in formset.deleted_objects:
            _audit_membership(request, membership, Action.MEMBER_REMOVED, membership.role)


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(AuditedMembershipFormsetMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active", "is_network_member")
    search_fields = ("code", "name", "search_text")
    inlines = [FocalPointInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role",)
    autocomplete_fields = ["user", "organization"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = Action.MEMBER_ROLE_CHANGED if change else Action.MEMBER_ADDED
        _audit_membership(request, obj, action, obj.role)

    def delete_model(self, request, obj):
        _audit_membership(request, obj, Action.MEMBER_REMOVED, obj.role)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            _audit_membership(request, membership, Action.MEMBER_REMOVED, membership.role)
        super().delete_queryset(request, queryset)


@admin.register(StaffChange)
class StaffChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """History is read-only, admin included."""

    list_display = ("at", "organization", "focal_point", "change", "actor")
