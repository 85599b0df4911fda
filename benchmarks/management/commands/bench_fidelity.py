"""Time practice fidelity for a whole team on volume data.

    DJANGO_DEBUG=1 python manage.py bench_fidelity            # 10,000 people: 2,000 a team
    python manage.py bench_fidelity --people 2000 --runs 5    # smaller (400 a team)

Seeds the volume data of ``seed_demo --people N`` (5 teams, 50 workers) when
missing, then times ``workflow.fidelity.fidelity_for`` over the largest volume
team (the computation alone, with its query count), and the pages that show it:
the dashboard, the board and the agency report (server-side, in-process).
"""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Team, User
from benchmarks.benchmarking import VolumeBenchCommand
from benchmarks.volume import seed_volume_outcomes
from caseload.models import ServiceUser
from workflow.fidelity import distribution, fidelity_for


class Command(VolumeBenchCommand):
    help = "Measure practice fidelity for a whole team on volume data (seeds it when missing)."

    def measure(self, runs):
        seed_volume_outcomes(stdout=self.stdout)
        team = Team.objects.get(name="Volume team 1")
        people = ServiceUser.objects.filter(team=team)
        fidelity_for(people)  # warm up
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                found = fidelity_for(people)
                times.append((time.perf_counter() - started) * 1000)
        bands = distribution(found.values())
        self.stdout.write(
            f"{'fidelity':10} {f'fidelity_for: {people.count()} people in team':48} "
            f"median {statistics.median(times):6.1f} ms  min {min(times):6.1f}  "
            f"max {max(times):6.1f}  queries {len(queries.captured_queries)}"
        )
        self.stdout.write(
            f"{'':10} counted {len(found)}: high {bands.high}, low or moderate {bands.low}, "
            f"nothing due {bands.not_yet}"
        )
        supervisor = User.objects.get(username="volume.supervisor1")
        worker = User.objects.get(username="volume.worker01")
        admin = User.objects.filter(is_staff=True, is_active=True).first()
        pages = [
            (
                "supervisor",
                "dashboard (with fidelity)",
                supervisor,
                f"/dashboard/?team={team.public_id}",
            ),
            (
                "supervisor",
                "self-assessments and the records",
                supervisor,
                f"/dashboard/fidelity/?team={team.public_id}",
            ),
            ("worker", "board (with fidelity)", worker, "/board/"),
            ("supervisor", "agency report", supervisor, "/reports/agencies/"),
        ]
        if admin is not None:
            pages.append(("admin", "agency report (every agency)", admin, "/reports/agencies/"))
        for who, label, user, url in pages:
            self.report(who, label, user, url, runs)
