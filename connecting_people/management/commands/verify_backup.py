from django.core.management.base import BaseCommand, CommandError

from connecting_people import backups


class Command(BaseCommand):
    help = (
        "Verify a backup: check its checksums, restore the dump into a scratch database, "
        "compare every table's row count with the manifest, check the files, and drop the "
        "scratch database. The live database is not touched. Exits non-zero on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup folder (or its manifest.json).")

    def handle(self, *args, **options):
        try:
            checked = backups.verify(options["path"])
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for line in checked:
            self.stdout.write(f"OK: {line}")
        self.stdout.write("The backup is good.")
