from django.contrib import admin

from ungcuu.organizations.models import FocalPoint, Membership, Organization, StaffChange


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active", "is_network_member")
    search_fields = ("code", "name", "search_text")
    inlines = [FocalPointInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role",)
    autocomplete_fields = ["user", "organization"]


@admin.register(StaffChange)
class StaffChangeAdmin(admin.ModelAdmin):
    """History is read-only, admin included."""

    list_display = ("at", "organization", "focal_point", "change", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
