from django.contrib import admin

from .models import Instrument, InstrumentVersion


class VersionInline(admin.TabularInline):
    model = InstrumentVersion
    fields = ["number", "loaded_at", "loaded_by", "source_name", "licence_holder"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    """Follow-up interval and whether it is offered; definitions are loaded with
    ``manage.py load_instrument FILE`` (each change a new version)."""

    list_display = ["name", "code", "follow_up_months", "active", "shipped", "current_version"]
    list_editable = ["follow_up_months", "active"]
    fields = ["code", "name", "shipped", "follow_up_months", "active"]
    readonly_fields = ["code", "name", "shipped"]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
