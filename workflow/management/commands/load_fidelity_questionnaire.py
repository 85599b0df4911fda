"""Load a fidelity self-assessment questionnaire (a JSON file) into the database."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from workflow.self_assessment import EXAMPLE_PATH, QuestionnaireError
from workflow.self_assessments import questionnaire_load_file


class Command(BaseCommand):
    help = (
        "Load a fidelity self-assessment questionnaire (JSON, checked against "
        "workflow/schema/self_assessment.schema.json). A changed definition of a loaded "
        "questionnaire becomes its next version; answers already given keep theirs. Refused "
        "as a whole, saying where, if the file has a problem. --example loads the fictional "
        "example that ships with the app."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="path to the definition (.json)")
        parser.add_argument(
            "--example", action="store_true", help="load the shipped fictional example"
        )
        parser.add_argument("--by", metavar="USERNAME", help="the administrator loading it")

    def handle(self, *args, **options):
        path = EXAMPLE_PATH if options["example"] else options["file"]
        if not path:
            raise CommandError("Give the definition's file, or --example.")
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user called {options['by']!r}.")
        try:
            questionnaire, status = questionnaire_load_file(path, by=by)
        except QuestionnaireError as error:
            problems = "\n".join(
                f"  {where}: {message}" if where else f"  {message}"
                for where, message in error.problems
            )
            raise CommandError(
                f"{error.source or path} was not loaded; nothing changed:\n{problems}"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{questionnaire.name} ({questionnaire.code}): {status}, "
                f"version {questionnaire.version}."
            )
        )
