"""python manage.py import_oruk PATH [PATH ...]

Import Open Referral UK / HSDS 3 JSON files into the community directory. All
files are read and checked first and then written in one transaction: if any
file is rejected, nothing is written and the command exits non-zero. The last
line of output is ``created N, updated N, skipped N`` (counting services).
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from toolkit.oruk_import import ImportRejected, import_files


class Command(BaseCommand):
    help = "Import Open Referral UK (HSDS 3) JSON files into the community directory."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="JSON file(s) to import")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report the counts, then write nothing.",
        )

    def handle(self, *args, **options):
        files = []
        for name in options["paths"]:
            path = Path(name)
            try:
                files.append((str(path), path.read_bytes()))
            except OSError as exc:
                raise CommandError(f"{path} cannot be read: {exc.strerror}.") from None
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = import_files(files)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ImportRejected as exc:
            raise CommandError(f"Nothing was imported. {exc}") from None
        elapsed = time.perf_counter() - started
        if options["dry_run"]:
            self.stdout.write("Dry run: the files are valid; nothing was written.")
        self.stdout.write(
            f"Read {result.organizations} organisations and {result.taxonomy_terms} "
            f"taxonomy terms in {elapsed:.1f} s."
        )
        self.stdout.write(result.summary)
