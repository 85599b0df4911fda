from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing every app shares; it imports none of them (DESIGN.md §6)."""

    name = "core"
    verbose_name = "Shared plumbing"
