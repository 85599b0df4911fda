from django.apps import AppConfig


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks"
    verbose_name = "Social network maps"

    def ready(self):
        from caseload import kept, persondata
        from caseload.signals import stage_changed

        from . import persondata as network_data
        from . import presenters
        from .models import NetworkMember, Snapshot, Tie
        from .receivers import take_baseline_when_leaving_assess

        stage_changed.connect(
            take_baseline_when_leaving_assess, dispatch_uid="networks_baseline_on_leaving_assess"
        )
        kept.register_part("network_map", "networks/_map_body.html", presenters.map_page)
        persondata.register(
            "network",
            models=[NetworkMember, Tie, Snapshot],
            export=network_data.export_person,
            erase=network_data.erase_person,
            erase_many=network_data.erase_people,
            label="Network map",
        )
