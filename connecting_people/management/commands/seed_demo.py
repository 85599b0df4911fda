"""Fill the database with fictional demo data, safe to run more than once.

Each app that has a ``demo`` module with a ``seed(*, stdout, **options)``
function is seeded, in INSTALLED_APPS order (accounts first).
"""

import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo teams, users and fictional records (refuses to run when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. Never use this on a live system.",
        )
        parser.add_argument(
            "--people",
            type=int,
            default=0,
            metavar="N",
            help="Also create N extra fictional people with sessions, for volume testing.",
        )
        parser.add_argument(
            "--sessions-per-person",
            type=int,
            default=20,
            metavar="N",
            help="Sessions for each extra person created by --people (default 20).",
        )
        parser.add_argument(
            "--audit-per-person",
            type=int,
            default=200,
            metavar="N",
            help="Audit events for each extra person created by --people (default 200: "
            "20,000,000 at 100,000 people).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo adds fictional people and known passwords, so it refuses to run "
                "when DEBUG is off. Use --force only on a test system."
            )
        if options["people"] < 0:
            raise CommandError("--people must be zero or more.")
        started = time.perf_counter()
        # call_command(stdout=...) passes the streams among the options too.
        options = {k: v for k, v in options.items() if k not in ("stdout", "stderr")}
        for app_config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            if hasattr(module, "seed"):
                with transaction.atomic():
                    module.seed(stdout=self.stdout, **options)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
