from django.core.management.base import BaseCommand, CommandError

from connecting_people import backups


class Command(BaseCommand):
    help = (
        "Restore a backup into this site's database and media folder, replacing what is "
        "there. Checks the backup's checksums first. Needs --confirm with the database name."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup folder (or its manifest.json).")
        parser.add_argument(
            "--confirm",
            required=True,
            metavar="DATABASE",
            help="The name of the database being replaced, to show you mean it.",
        )

    def handle(self, *args, **options):
        try:
            backups.require_postgresql()
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        live = backups.live_database_name()
        if options["confirm"] != live:
            raise CommandError(
                f"--confirm must be the name of the database being replaced ({live}); "
                "nothing was restored."
            )
        try:
            manifest = backups.restore(options["path"])
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} into {live} and the media folder."
        )
