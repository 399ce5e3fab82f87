from django.contrib import admin

from ungcuu.systems.models import InformationSystem, SoftwareProduct


class SoftwareInline(admin.TabularInline):
    model = SoftwareProduct
    extra = 0


@admin.register(InformationSystem)
class InformationSystemAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "operator", "security_level", "dossier_state", "is_critical_national")
    list_filter = ("security_level", "dossier_state", "is_critical_national")
    search_fields = ("name", "search_text")
    inlines = [SoftwareInline]
