from django.contrib import admin

from inspections.models import Clause, Standard


class ClauseInline(admin.TabularInline):
    model = Clause
    extra = 1
    fields = ["number", "text", "summary_en"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "sector", "scope", "effective_from", "effective_to"]
    list_filter = ["sector", "scope"]
    search_fields = ["number", "title"]
    inlines = [ClauseInline]


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "text", "summary_en"]
    list_filter = ["standard__sector", "standard"]
    search_fields = ["number", "text", "summary_en", "standard__number"]
    list_select_related = ["standard"]
