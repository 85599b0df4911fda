from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_shipped(sender, using="default", **kwargs):
    """After ``migrate``: the open instruments that ship with the app are in the
    database (a release that changed one adds a version)."""
    from django.db import connections

    from .models import Instrument
    from .services import load_shipped_instruments

    if Instrument._meta.db_table not in connections[using].introspection.table_names():
        return  # outcomes migrated back to zero
    load_shipped_instruments()


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self):
        post_migrate.connect(_load_shipped, sender=self, dispatch_uid="outcomes_load_shipped")
        from caseload import persondata

        from . import persondata as outcomes_data
        from .models import Result

        persondata.register(
            "outcomes",
            models=[Result],
            export=outcomes_data.export_person,
            erase=outcomes_data.erase_person,
            erase_many=outcomes_data.erase_people,
            label="Outcome measures",
        )
