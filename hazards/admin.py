from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from hazards.models import (
    AuditEvent,
    Clause,
    Enterprise,
    Evidence,
    Hazard,
    HazardEvent,
    QuarterlyStatistics,
    RankingConfiguration,
    RankingDeduction,
    RankingEntry,
    RankingRun,
    Region,
    Sector,
    Standard,
    User,
)
from hazards.signals import audited_delete_selected

admin.site.site_header = _("Hazard Rectification Portal")
# Deleting several objects at once leaves an audit row for each (see hazards.signals).
admin.site.add_action(audited_delete_selected, "delete_selected")
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
    """The portal's users: the role decides who opens the admin (see User.save), so there is no staff flag."""

    list_display = ["username", "full_name", "role", "region", "enterprise", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "region__name", "enterprise__name"]
    autocomplete_fields = ["region", "enterprise"]
    list_select_related = ["region", "enterprise"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "language"]}),
        (_("Role and scope"), {"fields": ["role", "region", "enterprise"]}),
        (_("Permissions"), {"fields": ["is_active", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "region", "enterprise"]}),
    ]

    @admin.display(description=_("full name"), ordering="first_name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()


class ClauseInline(admin.TabularInline):
    model = Clause
    extra = 1
    fields = ["number", "text", "summary_en"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "scope", "effective_from", "effective_to"]
    list_filter = ["sectors", "scope"]
    filter_horizontal = ["sectors"]
    search_fields = ["number", "title"]
    inlines = [ClauseInline]


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "text", "summary_en"]
    list_filter = ["standard__sectors", "standard"]
    search_fields = ["number", "text", "summary_en", "standard__number"]
    list_select_related = ["standard"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """What only the portal's services write: administrators look, and change nothing."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
class HazardAdmin(ReadOnlyAdmin):
    """The register seen by administrators: read only, since only the workflow changes a hazard."""

    list_display = ["number", "enterprise", "level", "status", "deadline", "found_at"]
    list_filter = ["status", "level", "source", "sector", "region__parent"]
    search_fields = ["number", "description", "enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]
    date_hierarchy = "found_at"
    inlines = [EvidenceInline, EventInline]


@admin.register(QuarterlyStatistics)
class QuarterlyStatisticsAdmin(ReadOnlyAdmin):
    """The quarterly reports as generated and confirmed: read only, since a task makes them each quarter."""

    list_display = ["enterprise", "year", "quarter", "found_general", "found_major", "unrectified"]
    list_filter = ["year", "quarter", "sector", "region__parent"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]


@admin.register(RankingConfiguration)
class RankingConfigurationAdmin(admin.ModelAdmin):
    """The one configuration of the ranking: weights, prior strength, list size, points per accident, death.

    Each run keeps a copy, so changing it explains no old ranking differently.
    """

    list_display = ["__str__", "prior_strength", "list_size", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return not RankingConfiguration.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RankingDeduction)
class RankingDeductionAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "quarter", "accidents", "deaths", "veto", "entered_by"]
    list_filter = ["year", "quarter", "veto"]
    autocomplete_fields = ["region", "entered_by"]


class RankingEntryInline(ReadOnlyInline):
    model = RankingEntry
    fields = ["kind", "rank", "region", "enterprise", "score", "mark", "previous_rank"]
    readonly_fields = fields


@admin.register(RankingRun)
class RankingRunAdmin(ReadOnlyAdmin):
    """The rankings as computed: read only, since only the ranking services make and publish them."""

    list_display = ["__str__", "computed_at", "published_at"]
    list_filter = ["year", "quarter"]
    inlines = [RankingEntryInline]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: read only; the portal only appends rows (and the database refuses more)."""

    list_display = ["occurred_at", "action", "username", "ip", "object_type", "object_id", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_label", "object_id", "ip", "region_code"]
    date_hierarchy = "occurred_at"
    fields = [
        "occurred_at",
        "action",
        "actor",
        "username",
        "ip",
        "object_type",
        "object_id",
        "object_label",
        "region_code",
        "detail",
    ]
    readonly_fields = fields
    show_full_result_count = False  # a count of millions of rows on every page is not worth its time
