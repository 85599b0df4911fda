from django.apps import AppConfig


class SafetyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safety"
    verbose_name = "Working safely"

    def ready(self):
        from caseload import persondata

        from . import persondata as safety_data
        from .models import LoneWorkingCheckIn, RiskAlert

        persondata.register(
            "safety",
            models=[RiskAlert, LoneWorkingCheckIn],
            export=safety_data.export_person,
            erase=safety_data.erase_person,
            erase_many=safety_data.erase_people,
            label="Risk and safety alerts, and lone-working check-ins",
        )
