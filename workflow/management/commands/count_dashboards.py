import time

from django.core.management.base import BaseCommand

from core.cronlock import cron_locked
from workflow.kept_figures import count_ahead, kept_seconds


class Command(BaseCommand):
    help = (
        "Count every supervisor's dashboard figures ahead and keep them for "
        "CP_DASHBOARD_FIGURES_SECONDS, so no supervisor waits for a large team to be "
        "counted. Meant for cron, more often than that setting (every 4 minutes for "
        "the default 5)."
    )

    @cron_locked
    def handle(self, *args, **options):
        if kept_seconds() <= 0:
            self.stdout.write(
                "CP_DASHBOARD_FIGURES_SECONDS is 0: figures are counted on every visit, "
                "so there is nothing to count ahead."
            )
            return
        started = time.perf_counter()
        counted = count_ahead()
        self.stdout.write(
            f"counted {counted} dashboard{'s' if counted != 1 else ''} "
            f"in {time.perf_counter() - started:.1f} s"
        )
