from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ungcuu.accounts.models import User


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Ứng Cứu", {"fields": ("platform_role", "title", "phone")}))
    list_display = ("username", "email", "first_name", "last_name", "platform_role", "is_staff")
    list_filter = ("platform_role", "is_staff", "is_active")
