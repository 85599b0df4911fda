from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflow"
    verbose_name = "Cycle of change"

    def ready(self):
        from toolkit import panels

        from . import persondata, self_assessments
        from .referral_views import service_panel

        # The directory's service page shows what happened after suggestions,
        # without the toolkit knowing any person (DESIGN §6).
        panels.register_service_panel(service_panel)
        persondata.register()
        self_assessments.register_person_data()
