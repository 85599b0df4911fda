from django.core.management.base import BaseCommand

from core.cronlock import cron_locked
from safety.alerting import notify_overdue


class Command(BaseCommand):
    help = (
        "Email the supervisors about each lone-working check-in more than 30 minutes "
        "overdue, once. Meant for cron every 5 minutes; safe to run twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="", help="The site's address, used for a link in the email."
        )

    @cron_locked
    def handle(self, *args, **options):
        sent, unreachable = notify_overdue(base_url=options["base_url"].rstrip("/"))
        self.stdout.write(f"sent {sent}, no supervisor email {unreachable}")
