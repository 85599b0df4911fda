"""Load an outcome instrument definition (a JSON file) into the database."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from outcomes.definitions import DefinitionError
from outcomes.services import instrument_load_file


class Command(BaseCommand):
    help = (
        "Load an instrument definition (JSON, checked against the schema that ships with the "
        "app). A changed definition of a loaded instrument becomes its next version; results "
        "already recorded keep the version they were scored with. Refused as a whole, saying "
        "where, if the file has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the definition (.json)")
        parser.add_argument(
            "--licence-holder",
            help="who holds the licence for it here (e.g. the agency and licence number); "
            "written into the definition's licence",
        )
        parser.add_argument("--by", metavar="USERNAME", help="the administrator loading it")

    def handle(self, *args, **options):
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user called {options['by']!r}.")
        try:
            instrument, version, status = instrument_load_file(
                options["file"], by=by, licence_holder=options["licence_holder"]
            )
        except DefinitionError as error:
            problems = "\n".join(
                f"  {where}: {message}" if where else f"  {message}"
                for where, message in error.problems
            )
            raise CommandError(
                f"{error.source or options['file']} was not loaded; nothing changed:\n{problems}"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{instrument.name} ({instrument.code}): {status}, version {version.number}."
            )
        )
        if not version.licence_holder and not instrument.shipped:
            self.stdout.write(
                "No licence holder recorded: give --licence-holder if the agency holds a "
                "licence for it."
            )
