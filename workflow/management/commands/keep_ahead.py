import time

from django.core.management.base import BaseCommand

from accounts.selectors import active_workers
from caseload.kept import keep_parts_ready
from core.cronlock import cron_locked
from core.remember import kept_parts_seconds
from workflow.board import kept_board
from workflow.journey import keep_journeys_ready
from workflow.selectors import my_caseload


def _count(number, word):
    return f"{number} {word}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Work out ahead, and keep, each worker's board for today and the journey, "
        "summary, network map and goals of each of their open cases, where the kept "
        "copy is missing or out of date "
        "(a change to the person's records, a new day, new settings). Meant for cron, "
        "nightly after midnight; a copy is never shown out of date either way, this "
        "only spares the first visit of the day the wait."
    )

    @cron_locked
    def handle(self, *args, **options):
        if kept_parts_seconds() <= 0:
            self.stdout.write(
                "CP_KEPT_PARTS_SECONDS is 0: nothing is kept, so there is nothing to keep ahead."
            )
            return
        started = time.perf_counter()
        boards = journeys = parts = checked = 0
        seen = set()
        for user in active_workers():
            boards += kept_board(user, ready=True)
            people = [person for person in my_caseload(user) if person.pk not in seen]
            seen.update(person.pk for person in people)
            checked += len(people)
            journeys += keep_journeys_ready(people)
            parts += keep_parts_ready(people)
        self.stdout.write(
            f"worked out and kept {_count(boards, 'board')}, {_count(journeys, 'journey')} "
            f"and {_count(parts, 'other part')} of people's pages "
            f"({_count(checked, 'open case')} checked) in {time.perf_counter() - started:.1f} s"
        )
