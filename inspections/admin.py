from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion
from inspections.services.checklists import checklist_new_version


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ["position", "number", "text", "clause"]
    autocomplete_fields = ["clause"]

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_frozen

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_frozen

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_frozen


class ChecklistVersionInline(admin.TabularInline):
    model = ChecklistVersion
    extra = 0
    fields = ["number", "created_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name"]
    inlines = [ChecklistVersionInline]


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(admin.ModelAdmin):
    """A version used by an inspection is frozen; "new version" copies it, items and their keys, to edit."""

    list_display = ["template", "number", "created_at"]
    list_filter = ["template__sector", "template"]
    search_fields = ["template__name"]
    inlines = [ChecklistItemInline]
    actions = ["new_version"]

    def get_readonly_fields(self, request, obj=None):
        return ["template", "number"] if obj is not None else []

    @admin.action(description=_("Start a new version from the selected ones"))
    def new_version(self, request, queryset) -> None:
        for version in queryset.select_related("template"):
            copy = checklist_new_version(version=version)
            self.message_user(
                request,
                _("%(checklist)s: version %(number)d created.")
                % {"checklist": version.template, "number": copy.number},
            )
