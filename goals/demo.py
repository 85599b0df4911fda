"""Fictional goals, steps and GAS reviews for the demo people (``seed_demo``).

Only people in the two demo teams are touched, and people who already have
goals are skipped, so running it twice changes nothing. People still at
referral get no goals; people getting started or exploring connections get a
first goal with steps but no review yet; everyone further on gets two or three
goals, steps (some done, some overdue) and two or three reviews showing
different kinds of progress. Some sessions are linked to the goals they worked on.
"""

import datetime
import random
import uuid

from django.db.models import Q
from django.utils import timezone

from caseload.models import ServiceUser, Session
from caseload.stages import Stage
from toolkit.models import Service

from . import gas
from .models import Goal, GoalStatus, Rating, Review, SessionGoal, Step, StepWho

DEMO_TEAMS = ("North Community Team", "South Community Team")

# (domain, title, why, [−2, −1, 0, +1, +2] descriptions, steps)
GOALS = [
    (
        "meeting_people",
        "I want to have someone to talk to at the weekend",
        "Weekends are the longest part of my week.",
        [
            "No one to talk to at weekends",
            "A phone call with my sister most weekends",
            "Meet one person for a coffee at the weekend, twice a month",
            "Meet someone most weekends",
            "Have a regular weekend plan with friends",
        ],
        [
            ("Look up the Saturday coffee morning", StepWho.PERSON, ""),
            ("Go along together the first time", StepWho.WORKER, ""),
        ],
    ),
    (
        "activities",
        "Get back to painting like I used to",
        "It's the only time my head goes quiet.",
        [
            "Not painting at all",
            "Painting at home now and then",
            "Going to the community art group twice a month",
            "Going to the art group every week",
            "Showing a painting at the group's exhibition",
        ],
        [
            ("Ask the library about the art group", StepWho.WORKER, ""),
            ("Dig out my old brushes", StepWho.PERSON, ""),
        ],
    ),
    (
        "physical_activity",
        "Walk to the park without feeling panicky",
        "I want to take my grandson to the park.",
        [
            "Not leaving the house to walk",
            "Walking to the end of the road with support",
            "Walking to the park on my own once a week",
            "Walking to the park most days",
            "Joining the Tuesday walking group",
        ],
        [
            ("Practise the breathing exercise", StepWho.PERSON, ""),
            ("Walk to the corner shop together", StepWho.WORKER, ""),
        ],
    ),
    (
        "volunteering",
        "Do something useful with my days",
        "I used to run a team; I miss being needed.",
        [
            "No regular activity in the week",
            "Looked into volunteering but not started",
            "Volunteering half a day a week",
            "Volunteering two half days a week",
            "Taking on a role with responsibility, like leading a shift",
        ],
        [
            ("Visit the volunteer centre drop-in", StepWho.PERSON, ""),
            ("Help fill in the application", StepWho.OTHER, "Jo at the volunteer centre"),
        ],
    ),
    (
        "learning",
        "Learn to use a computer so I can video call my daughter",
        "She lives in Canada and I only see her once a year.",
        [
            "Cannot use the tablet at all",
            "Can turn the tablet on and open the camera",
            "Video calling my daughter with some help",
            "Video calling my daughter on my own",
            "Helping someone else at the class",
        ],
        [
            ("Book a place on the library's digital class", StepWho.WORKER, ""),
            ("Charge the tablet before class", StepWho.PERSON, ""),
        ],
    ),
    (
        "confidence",
        "Feel able to speak up at my GP appointments",
        "I come out and realise I didn't say what I meant to.",
        [
            "Avoiding appointments",
            "Going to appointments but not saying much",
            "Saying the main thing I came for, using my notes",
            "Asking questions about my treatment",
            "Going to appointments without support and feeling heard",
        ],
        [("Write a list before the next appointment", StepWho.PERSON, "")],
    ),
    (
        "faith",
        "Go back to the gurdwara on Sundays",
        "It's where my community is.",
        [
            "Not going at all",
            "Going on special occasions",
            "Going on Sunday twice a month",
            "Going every Sunday",
            "Helping in the langar kitchen",
        ],
        [("Ask my cousin to go with me the first time", StepWho.OTHER, "cousin")],
    ),
    (
        "family",
        "Get back in touch with my brother",
        "We fell out years ago and I think about him a lot.",
        [
            "No contact and no plan to make any",
            "Thinking about what to say",
            "Sent him a card or message",
            "Had a phone call with him",
            "Met up with him",
        ],
        [
            ("Draft a message together", StepWho.WORKER, ""),
            ("Find his address from my aunt", StepWho.PERSON, ""),
        ],
    ),
    (
        "work",
        "Find out whether I could work a few hours a week",
        "I want my own money and a reason to get up.",
        [
            "Not thinking about work",
            "Talking about work but no steps taken",
            "Seen a work coach and know my options",
            "Started a work trial",
            "Working a few hours a week",
        ],
        [
            ("Book a benefits check before anything else", StepWho.WORKER, ""),
            ("Go to the IPS work coach", StepWho.PERSON, ""),
        ],
    ),
]

# Level at each successive review: varied kinds of progress.
TRAJECTORIES = [
    [-1, 0, 1],  # steady improvement
    [0, 1, 2],  # better than expected
    [-1, -1, 0],  # slow start
    [-1, -2, -1],  # a difficult patch
    [-1, 0, 0],  # reached the expected outcome and held it
    [0, -1, 1],  # up and down
]


def _review_time(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))


def seed(*, stdout, **options):
    people = list(
        ServiceUser.objects.filter(team__name__in=DEMO_TEAMS)
        .exclude(stage=Stage.REFERRAL)
        .exclude(pk__in=Goal.objects.values("service_user_id"))
        .select_related("allocated_worker")
        .order_by("pk")
    )
    if not people:
        stdout.write("Goals: no demo people without goals; nothing to add.")
        return
    services = list(Service.objects.order_by("pk")[:50])
    totals = {"goals": 0, "steps": 0, "reviews": 0}
    for person in people:
        counts = _seed_person(person, services)
        for key, value in counts.items():
            totals[key] += value
    stdout.write(
        f"Goals: {totals['goals']} goals, {totals['steps']} steps and "
        f"{totals['reviews']} reviews for {len(people)} demo people."
    )


def _seed_person(person, services):
    rng = random.Random(f"goals-{person.public_id}")  # noqa: S311 - demo data
    today = timezone.localdate()
    early = person.stage in (Stage.GETTING_STARTED, Stage.ASSESS)
    n_goals = 1 if early else rng.choice([2, 2, 3])
    n_reviews = 0 if early else rng.choice([2, 3])
    worker = person.allocated_worker
    # Agree goals long enough ago to fit the reviews, 5–9 weeks apart; the last
    # review is 1–10 weeks ago, so some people show "review due".
    gap = rng.randint(5, 9) * 7
    last_review_ago = rng.randint(1, 10) * 7
    set_on = today - datetime.timedelta(days=last_review_ago + gap * n_reviews + 7)
    if early:
        set_on = today - datetime.timedelta(days=rng.randint(3, 20))
    chosen = rng.sample(GOALS, n_goals)
    goals = []
    for domain, title, why, levels, _steps in chosen:
        importance = rng.choice([None, 1, 2, 3])
        difficulty = None if importance is None else rng.choice([1, 2, 3])
        goals.append(
            Goal(
                public_id=uuid.uuid4(),
                service_user=person,
                title=title,
                domain=domain,
                why_it_matters=why,
                set_on=set_on,
                target_date=set_on + datetime.timedelta(days=rng.choice([90, 120, 180])),
                level_minus_2=levels[0],
                level_minus_1=levels[1],
                level_0=levels[2],
                level_plus_1=levels[3],
                level_plus_2=levels[4],
                baseline_level=-1,
                importance=importance,
                difficulty=difficulty,
                created_by=worker,
            )
        )
    Goal.objects.bulk_create(goals)
    goals = list(Goal.objects.filter(public_id__in=[g.public_id for g in goals]).order_by("pk"))
    by_title = {g.title: g for g in goals}
    steps = []
    for _domain, title, _why, _levels, step_specs in chosen:
        goal = by_title[title]
        for index, (what, who, who_name) in enumerate(step_specs):
            due = set_on + datetime.timedelta(days=rng.randint(7, 60) + 14 * index)
            done = None
            if due < today and rng.random() < 0.75:
                done = min(today, due - datetime.timedelta(days=rng.randint(0, 5)))
                done = max(done, set_on)
            steps.append(
                Step(
                    public_id=uuid.uuid4(),
                    goal=goal,
                    what=what,
                    who=who,
                    who_name=who_name,
                    due_on=due,
                    done_on=done,
                )
            )
    Step.objects.bulk_create(steps)
    if services:
        through = Goal.opportunities.through
        through.objects.bulk_create(
            [through(goal_id=g.pk, service_id=rng.choice(services).pk) for g in goals[:2]],
            ignore_conflicts=True,
        )
    trajectories = {g.pk: rng.choice(TRAJECTORIES) for g in goals}
    reviews, ratings = [], []
    last_day = today - datetime.timedelta(days=last_review_ago)
    for r in range(n_reviews):
        day = last_day - datetime.timedelta(days=gap * (n_reviews - 1 - r))
        step = r + (3 - n_reviews)  # two reviews show the later part of the trajectory
        levels = {g.pk: trajectories[g.pk][step] for g in goals}
        review = Review(
            public_id=uuid.uuid4(),
            service_user=person,
            reviewed_at=_review_time(day),
            reviewed_by=worker,
            t_score=gas.t_score(list(levels.values()), [g.weight for g in goals]),
            note="Reviewed together at the usual café." if r == n_reviews - 1 else "",
        )
        reviews.append((review, levels))
    if reviews:
        Review.objects.bulk_create([review for review, _levels in reviews])
        saved = {
            r.public_id: r
            for r in Review.objects.filter(public_id__in=[rv.public_id for rv, _ in reviews])
        }
        for review, levels in reviews:
            for goal in goals:
                ratings.append(
                    Rating(
                        review=saved[review.public_id],
                        goal=goal,
                        level=levels[goal.pk],
                        weight=goal.weight,
                        note=rng.choice(
                            ["", "Went twice this month.", "Found it hard after the holiday."]
                        ),
                    )
                )
        Rating.objects.bulk_create(ratings)
    # A goal reached early is marked achieved, so the page shows ended goals too.
    if len(goals) == 3 and trajectories[goals[2].pk][-1] == 2:
        Goal.objects.filter(pk=goals[2].pk).update(
            status=GoalStatus.ACHIEVED, ended_on=today - datetime.timedelta(days=last_review_ago)
        )
    sessions = list(
        Session.objects.filter(Q(service_user=person), date__gte=set_on).order_by("-date")[:4]
    )
    SessionGoal.objects.bulk_create(
        [SessionGoal(session=s, goal=rng.choice(goals)) for s in sessions], ignore_conflicts=True
    )
    return {"goals": len(goals), "steps": len(steps), "reviews": len(reviews)}
