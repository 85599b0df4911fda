"""Fidelity questionnaires in the admin: whether each is offered. Definitions
are loaded with ``manage.py load_fidelity_questionnaire FILE`` (each change a
new version); answers are person data and stay out of the admin."""

from django.contrib import admin

from .models import FidelityQuestionnaire


@admin.register(FidelityQuestionnaire)
class FidelityQuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "active", "loaded_at"]
    list_editable = ["active"]
    fields = ["code", "name", "version", "active", "loaded_at", "loaded_by"]
    readonly_fields = ["code", "name", "version", "loaded_at", "loaded_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
