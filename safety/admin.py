"""Administrators may switch a team's check-ins on or off; alerts and check-ins
are person data, so they are not in the admin."""

from django.contrib import admin

from .models import TeamSafetySettings


@admin.register(TeamSafetySettings)
class TeamSafetySettingsAdmin(admin.ModelAdmin):
    list_display = ["team", "check_ins_enabled", "changed_by", "changed_at"]
    list_filter = ["check_ins_enabled"]
    fields = ["team", "check_ins_enabled"]

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)
