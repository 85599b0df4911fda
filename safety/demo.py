"""Demo data for working safely: two alerts, one group session, check-ins on
for the North team and a work phone for its workers. Safe to run again."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Team
from caseload.models import GroupSession, ServiceUser, Status

from . import group_sessions, services
from .models import AlertCategory, RiskAlert

NORTH = "North Community Team"
ALERTS = [
    (
        AlertCategory.ENVIRONMENT,
        "A large, friendly but excitable dog lives at the address.",
        "Ring before arriving so the dog can be put in the garden.",
    ),
    (
        AlertCategory.HEALTH,
        "Crowded, noisy places can become overwhelming, especially at busy times.",
        "Plan outings for quieter times and agree a signal for taking a break.",
    ),
]
PHONES = {"worker.amira": "07700 900 101", "worker.ben": "07700 900 102"}


def seed(*, stdout, **options):
    team = Team.objects.filter(name=NORTH).first()
    if team is None:
        stdout.write("Safety: no demo North team; skipped.")
        return
    users = get_user_model().objects
    for username, phone in PHONES.items():
        users.filter(username=username, phone="").update(phone=phone)
    supervisor = users.filter(username="supervisor.dev").first()
    amira = users.filter(username="worker.amira").first()
    if supervisor is None or amira is None:
        stdout.write("Safety: demo users missing; skipped.")
        return
    services.team_set_check_ins(team=team, enabled=True, by=supervisor)
    people = list(
        ServiceUser.objects.filter(team=team, allocated_worker=amira)
        .exclude(status=Status.CLOSED)
        .order_by("reference")
    )
    added = 0
    if not RiskAlert.objects.filter(service_user__team=team).exists():
        today = timezone.localdate()
        for person, (category, situation, what_to_do) in zip(people, ALERTS, strict=False):
            services.alert_create(
                service_user=person,
                by=amira,
                values={
                    "category": category,
                    "situation": situation,
                    "what_to_do": what_to_do,
                    "review_on": today + datetime.timedelta(days=60),
                },
            )
            added += 1
    grouped = 0
    if len(people) >= 3 and not GroupSession.objects.filter(author=amira).exists():
        group_sessions.group_session_create(
            by=amira,
            values={
                "date": timezone.localdate() - datetime.timedelta(days=2),
                "duration_minutes": 90,
                "place": "Riverside park walking group",
                "notes": "A gentle walk round the river loop, then tea at the café.",
            },
            attendees=[
                (str(people[0].public_id), True, "Led the group back to the café.", []),
                (str(people[1].public_id), True, "Talked with two regulars about the choir.", []),
                (str(people[2].public_id), False, "Did not come; ring to ask how things are.", []),
            ],
        )
        grouped = 1
    stdout.write(
        f"Safety: {added} alerts and {grouped} group session; check-ins on for {team.name}."
    )
