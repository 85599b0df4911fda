from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Volume data and benchmark commands. The product never imports this package;
    it is installed so that its management commands and its ``demo`` module
    (``seed_demo --people N``) are found."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
