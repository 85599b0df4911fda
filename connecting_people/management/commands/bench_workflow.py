"""Time the supervisor dashboard, the worker board and the journey page on volume data.

    DJANGO_DEBUG=1 python manage.py bench_workflow            # 10,000 people x 20 sessions
    python manage.py bench_workflow --people 2000 --runs 5    # smaller

Seeds the volume data of ``seed_demo --people N`` (5 teams, 50 workers) when
missing, then renders each page in-process (server-side time, no network) and
prints the median, fastest and slowest of ``--runs`` runs and the query count.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from caseload.benchmarking import VolumeBenchCommand
from caseload.models import ServiceUser, Status
from caseload.stages import Stage
from goals import gas
from goals.models import Goal, Rating, Review
from networks.models import NetworkMember, Snapshot

# Stages by which a person would have a map, a baseline and goals.
MAPPED = [Stage.PLAN, Stage.CONNECT, Stage.REVIEW, Stage.MOVING_ON]
SECTORS = ["family", "friends", "community", "services", "neighbours", "household"]


class Command(VolumeBenchCommand):
    help = "Measure the dashboard, board and journey page on volume data (seeds it when missing)."

    def measure(self, runs):
        self._seed_outcomes()
        supervisor = User.objects.get(username="volume.supervisor1")
        worker = User.objects.get(username="volume.worker01")
        team = Team.objects.get(name="Volume team 1")
        person = ServiceUser.objects.filter(allocated_worker=worker).order_by("pk").first()
        team_size = ServiceUser.objects.filter(team=team).count()
        board_size = ServiceUser.objects.filter(allocated_worker=worker).count()
        pages = [
            (
                "supervisor",
                f"dashboard ({team_size} people in team)",
                supervisor,
                f"/dashboard/?team={team.public_id}",
            ),
            (
                "supervisor",
                "dashboard CSV export",
                supervisor,
                f"/dashboard/export.csv?team={team.public_id}",
            ),
            (
                "supervisor",
                "drill-down: no contact 28+ days",
                supervisor,
                f"/dashboard/people/?team={team.public_id}&flag=no_contact",
            ),
            ("worker", f"board ({board_size} people)", worker, "/board/"),
            ("worker", "journey page", worker, f"/people/{person.public_id}/journey/"),
        ]
        for who, label, user, url in pages:
            self.report(who, label, user, url, runs)

    def _seed_outcomes(self):
        """Give volume people past planning a network map, a baseline snapshot, two
        goals and a review, so the dashboard's outcome figures have data to read."""
        people = list(
            ServiceUser.objects.filter(reference__startswith="VOL-", stage__in=MAPPED)
            .exclude(status=Status.CLOSED)
            .filter(network_members__isnull=True)
            .values_list("pk", "allocated_worker_id", "referral_date")
        )
        if not people:
            return
        now = timezone.now()
        with transaction.atomic():
            members, snapshots, goals = [], [], []
            for index, (pk, worker_id, referred) in enumerate(people):
                size = 4 + index % 7
                for n in range(size):
                    members.append(
                        NetworkMember(
                            service_user_id=pk,
                            label=f"Contact {n + 1}",
                            sector=SECTORS[n % 6],
                            ring=1 + n % 3,
                            frequency="weekly",
                            support=["companionship"],
                            direction="both_ways",
                            quality="positive",
                            added_on=referred,
                        )
                    )
                snapshots.append(
                    Snapshot(
                        service_user_id=pk,
                        label="Baseline",
                        is_baseline=True,
                        taken_at=now,
                        taken_by_id=worker_id,
                        member_count=max(size - index % 3, 0),
                    )
                )
                for n in range(2):
                    goals.append(
                        Goal(
                            service_user_id=pk,
                            title=f"Goal {n + 1}",
                            domain="meeting_people",
                            set_on=referred,
                            level_0="Expected outcome",
                            created_by_id=worker_id,
                        )
                    )
            NetworkMember.objects.bulk_create(members, batch_size=5000)
            Snapshot.objects.bulk_create(snapshots, batch_size=5000)
            Goal.objects.bulk_create(goals, batch_size=5000)
            goal_ids = {}
            for goal_id, person_id in Goal.objects.filter(
                service_user_id__in=[p[0] for p in people]
            ).values_list("pk", "service_user_id"):
                goal_ids.setdefault(person_id, []).append(goal_id)
            reviews = [
                Review(
                    service_user_id=pk,
                    reviewed_by_id=worker_id,
                    reviewed_at=now,
                    t_score=gas.t_score([index % 5 - 2, 0]),
                )
                for index, (pk, worker_id, _) in enumerate(people)
            ]
            Review.objects.bulk_create(reviews, batch_size=5000)
            ratings = []
            for index, review in enumerate(
                Review.objects.filter(service_user_id__in=goal_ids).order_by("service_user_id")
            ):
                for n, goal_id in enumerate(goal_ids[review.service_user_id]):
                    ratings.append(
                        Rating(
                            review=review, goal_id=goal_id, level=(index % 5 - 2) if n == 0 else 0
                        )
                    )
            Rating.objects.bulk_create(ratings, batch_size=5000)
        self.stdout.write(
            f"Added maps, baselines, goals and reviews for {len(people)} volume people "
            f"({len(members)} members, {len(goals)} goals)."
        )
