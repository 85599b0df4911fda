from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "caseload"
    verbose_name = "Caseload"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import data_versions, kept, own_data, persondata, selectors

        post_migrate.connect(
            data_versions.install_after_migrate, sender=self, dispatch_uid="person-data-versions"
        )

        kept.register_part(
            "summary",
            "caseload/_person_body.html",
            selectors.summary_page_records,
            by_date=True,
            keep=("session_count",),
            standins=selectors.SUMMARY_SUPERVISOR_STANDINS,
        )
        kept.register_part("sessions", "caseload/_session_list.html", selectors.sessions_page)
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
            # Each view adds a row; a view changes nothing a page of the record shows.
            versioned=False,
        )
