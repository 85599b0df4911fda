from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "caseload"
    verbose_name = "Caseload"

    def ready(self):
        from . import own_data, persondata

        persondata.register(
            "record",
            models=own_data.RECORD_MODELS,
            export=own_data.export_record,
            erase=own_data.erase_record,
            erase_many=own_data.erase_records,
            label="The record",
        )
        persondata.register(
            "access_log",
            models=own_data.ACCESS_LOG_MODELS,
            export=own_data.export_access_log,
            erase=own_data.erase_access_log,
            erase_many=own_data.erase_access_logs,
            label="Who viewed or changed the record, and when",
        )
