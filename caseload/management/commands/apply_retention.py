from django.core.management.base import BaseCommand, CommandError

from caseload import retention
from core.cronlock import cron_locked


class Command(BaseCommand):
    help = (
        "Erase the records past the agency's retention schedule (through the person-data "
        "registry, leaving tombstones) and remove old audit events; people under a legal "
        "hold are kept. Idempotent; meant for a nightly cron. --dry-run lists what is due."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due and why; change nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=retention.BATCH_SIZE,
            help="People erased per transaction (default %(default)s).",
        )

    @cron_locked
    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        try:
            if options["dry_run"]:
                plan = retention.plan()
                for line in plan.lines():
                    self.stdout.write(line)
                self.stdout.write("Dry run: nothing was changed.")
                return
            run = retention.apply(batch_size=options["batch_size"])
        except retention.RetentionNotConfigured as exc:
            raise CommandError(str(exc)) from exc
        for entry in run.entries:
            self.stdout.write(f"Erased {entry['reference']} ({entry['team']}): {entry['reason']}")
        for error in run.errors:
            self.stderr.write(f"Not erased {error['reference']}: {error['error']}")
        self.stdout.write(
            f"{run.people_erased} people erased, {run.held_back} kept under a legal hold, "
            f"{run.audit_events_removed} audit events removed. "
            f"Report: retention run {run.pk} (administrators see it under Erasures)."
        )
        if run.errors:
            count = len(run.errors)
            raise CommandError(
                f"{count} record{'s' if count != 1 else ''} could not be erased; see above."
            )
