from django.core.management.base import BaseCommand

from core.cronlock import cron_locked
from workflow.reminders import send_digests


class Command(BaseCommand):
    help = (
        "Email each worker a digest of overdue contacts, reviews due and overdue steps. "
        "Meant for cron; a second run on the same day sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="The site's address, used for links in the email.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count who would get an email; send nothing."
        )

    @cron_locked
    def handle(self, *args, **options):
        sent, already, empty = send_digests(
            base_url=options["base_url"], dry_run=options["dry_run"]
        )
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(f"{verb} {sent}, already sent today {already}, nothing to remind {empty}")
