from django.apps import AppConfig


class ConnectingPeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "connecting_people"
    verbose_name = "Connecting People"
