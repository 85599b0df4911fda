"""Demo data for practice fidelity (``seed_demo``): varied fidelity, and a
fictional example self-assessment questionnaire with a few answers.

The other apps' demo data puts every component in place for everyone, which
shows nothing. Here, through the apps' own services, a few demo people lose
what a busy team often skips: the worker's share of the goal steps (every
third person past connecting) and the top level of their goals' scales
(every fourth person past planning, and the
third ones past connecting too), so the board, journey and dashboard show high and
low fidelity side by side. Then two people get a worker's and their own
self-assessment, one pair agreeing and one not. Running it again changes
nothing: what was removed stays removed, and people with self-assessments are
skipped.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from caseload.access import visible_service_users
from caseload.stages import STAGE_ORDER, Stage
from goals.selectors import active_goals_with_steps
from goals.services import goal_update, step_delete

from .models import Respondent
from .self_assessment import EXAMPLE_PATH
from .self_assessments import (
    assessments_for,
    questionnaire_load_file,
    self_assessment_record,
)

DEMO_WORKERS = ("worker.amira", "worker.ben", "worker.chloe")
PAST_PLANNING = STAGE_ORDER.index(Stage.CONNECT)
PAST_CONNECTING = STAGE_ORDER.index(Stage.REVIEW)


def _demo_people(workers):
    seen = {}
    for worker in workers:
        for person in visible_service_users(worker).filter(reference__startswith="DEMO-"):
            seen.setdefault(person.pk, (person, worker))
    return [seen[pk] for pk in sorted(seen, key=lambda pk: seen[pk][0].reference)]


def _vary(people):
    changed = 0
    for index, (person, worker) in enumerate(people):
        reached = STAGE_ORDER.index(person.stage)
        if person.stage == Stage.CLOSED or reached < PAST_PLANNING:
            continue
        goals = list(active_goals_with_steps(person))
        if reached >= PAST_CONNECTING and index % 3 == 0:
            for goal in goals:
                for step in goal.steps.all():
                    if step.who == "worker":
                        step_delete(step=step, by=worker)
                        changed += 1
        if index % 4 == 1 or (reached >= PAST_CONNECTING and index % 3 == 0):
            for goal in goals:
                if goal.level_plus_2:
                    goal_update(
                        goal=goal,
                        by=worker,
                        values={"level_plus_2": ""},
                        expected_version=goal.version,
                    )
                    changed += 1
    return changed


def _answers(questionnaire, value, **different):
    return {item.id: different.get(item.id, value) for item in questionnaire.parsed.items}


def _self_assessments(people, questionnaire):
    chosen = [
        (person, worker)
        for person, worker in people
        if person.stage in (Stage.CONNECT, Stage.REVIEW)
    ][:2]
    added = 0
    for number, (person, worker) in enumerate(chosen):
        if assessments_for(person).exists():
            continue
        worker_answers = _answers(questionnaire, 2)
        # The second person sees the shared tasks and the new activity differently.
        person_answers = (
            _answers(questionnaire, 2)
            if number == 0
            else _answers(questionnaire, 2, both_do_tasks=0, tried_something=1)
        )
        for respondent, answers in (
            (Respondent.WORKER, worker_answers),
            (Respondent.PERSON, person_answers),
        ):
            self_assessment_record(
                service_user=person,
                questionnaire=questionnaire,
                respondent=respondent,
                completed_on=person.last_contact_on or timezone.localdate(),
                answers=answers,
                by=worker,
            )
            added += 1
    return added


def seed(*, stdout, **options):
    workers = list(get_user_model().objects.filter(username__in=DEMO_WORKERS))
    if not workers:
        return
    questionnaire, _status = questionnaire_load_file(EXAMPLE_PATH)
    people = _demo_people(workers)
    changed = _vary(people)
    added = _self_assessments(people, questionnaire)
    stdout.write(
        f"Fidelity: {changed} records varied so fidelity differs; {added} self-assessments "
        f"on the fictional example questionnaire."
    )
