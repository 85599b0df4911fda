"""Time the supervisor dashboard, the worker board and the journey page on volume data.

    DJANGO_DEBUG=1 python manage.py bench_workflow            # 10,000 people x 20 sessions
    python manage.py bench_workflow --people 2000 --runs 5    # smaller

Seeds the volume data of ``seed_demo --people N`` (5 teams, 50 workers) when
missing, then renders each page in-process (server-side time, no network) and
prints the median, fastest and slowest of ``--runs`` runs and the query count.
"""

from accounts.models import Team, User
from benchmarks.benchmarking import VolumeBenchCommand
from benchmarks.volume import seed_volume_outcomes
from caseload.models import ServiceUser


class Command(VolumeBenchCommand):
    help = "Measure the dashboard, board and journey page on volume data (seeds it when missing)."

    def measure(self, runs):
        seed_volume_outcomes(stdout=self.stdout)
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
