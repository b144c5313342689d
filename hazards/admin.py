from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from hazards.models import (
    Enterprise,
    Evidence,
    Hazard,
    HazardEvent,
    QuarterlyStatistics,
    Region,
    Sector,
    User,
)

admin.site.site_header = _("Hazard Rectification Portal")
admin.site.site_title = _("Hazard Rectification Portal")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region", "sector", "risk_colour", "status"]
    list_filter = ["risk_colour", "status", "sector", "region__parent"]
    search_fields = ["name", "credit_code", "principal_name", "region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region", "sector"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "region", "enterprise", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "region__name", "enterprise__name"]
    autocomplete_fields = ["region", "enterprise"]
    list_select_related = ["region", "enterprise"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "region", "enterprise"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "region", "enterprise"]}),
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = HazardEvent
    fields = ["created_at", "kind", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["uploaded_at", "stage", "kind", "original_name", "size", "sha256", "uploaded_by"]
    readonly_fields = fields


@admin.register(Hazard)
class HazardAdmin(admin.ModelAdmin):
    """The register seen by administrators: read only, since only the workflow changes a hazard."""

    list_display = ["number", "enterprise", "level", "status", "deadline", "found_at"]
    list_filter = ["status", "level", "source", "sector", "region__parent"]
    search_fields = ["number", "description", "enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]
    date_hierarchy = "found_at"
    inlines = [EvidenceInline, EventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuarterlyStatistics)
class QuarterlyStatisticsAdmin(admin.ModelAdmin):
    """The quarterly reports as generated and confirmed: read only, since a task makes them each quarter."""

    list_display = ["enterprise", "year", "quarter", "found_general", "found_major", "unrectified"]
    list_filter = ["year", "quarter", "sector", "region__parent"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
