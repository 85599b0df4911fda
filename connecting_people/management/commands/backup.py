from django.core.management.base import BaseCommand, CommandError

from connecting_people import backups


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump custom format) and the uploaded files "
        "(a tarball), with a manifest of row counts and SHA-256 checksums. Prints the folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", help="Where to write the backup folder (default CP_BACKUP_DIR)."
        )

    def handle(self, *args, **options):
        try:
            folder = backups.backup(options["output_dir"])
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {folder}: {backups.describe(folder)}.")
        self.stdout.write(f"Check it with: python manage.py verify_backup {folder}")
