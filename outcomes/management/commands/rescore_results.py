"""Score every stored result again with the version it was recorded with."""

import time

from django.core.management.base import BaseCommand

from outcomes.services import results_rescore


class Command(BaseCommand):
    help = (
        "Check stored outcome scores against the scoring code, each result with its own "
        "version; --write saves any that differ (audited)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="save the scores that differ")

    def handle(self, *args, **options):
        started = time.perf_counter()
        checked, differing = results_rescore(write=options["write"])
        seconds = time.perf_counter() - started
        action = "saved" if options["write"] else "would change (use --write to save)"
        self.stdout.write(
            f"Scored {checked} result{'s' if checked != 1 else ''} in {seconds:.2f} s; "
            f"{differing} {action}."
        )
