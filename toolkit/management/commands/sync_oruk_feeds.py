"""python manage.py sync_oruk_feeds [--feed ID ...]

Sync every active Open Referral UK feed subscription (for cron; see README).
Prints one report line per feed and exits non-zero when any feed failed (a
failed feed changed nothing; the error is shown on its page).
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.cronlock import cron_locked
from toolkit.feeds import feeds_sync_all
from toolkit.models import FeedSubscription, FeedSyncReport


class Command(BaseCommand):
    help = "Sync the community directory from its Open Referral UK feed subscriptions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--feed",
            action="append",
            metavar="ID",
            help="Sync only this feed (its id from the feed's page); may be repeated.",
        )

    @cron_locked
    def handle(self, *args, **options):
        only = None
        if options["feed"]:
            try:
                only = list(FeedSubscription.objects.filter(public_id__in=options["feed"]))
            except ValidationError:
                raise CommandError("--feed takes a feed's id, as shown on its page.") from None
            if len(only) != len(set(options["feed"])):
                raise CommandError("No feed has one of those ids.")
        started = time.perf_counter()
        reports = feeds_sync_all(only=only)
        failed = 0
        for report in reports:
            line = f"{report.feed.name}: {report.get_outcome_display()}; {report.summary}"
            if report.outcome == FeedSyncReport.Outcome.FAILED:
                failed += 1
                line += f". {report.errors[0] if report.errors else ''}"
            self.stdout.write(line)
        self.stdout.write(f"{len(reports)} feeds in {time.perf_counter() - started:.1f} s.")
        if failed:
            raise CommandError(
                f"{failed} of {len(reports)} feeds failed; nothing was changed there."
            )
