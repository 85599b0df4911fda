"""Time the caseload list as a supervisor would see it, on volume data.

    DJANGO_DEBUG=1 python manage.py bench_caseload            # 10,000 people x 20 sessions
    python manage.py bench_caseload --people 2000 --runs 5    # smaller

Seeds the volume people first when there are fewer than ``--people`` (the same
data as ``seed_demo --people N``), then renders each page through the full
middleware stack in-process (server-side time, no network) and prints the
median, fastest and slowest of ``--runs`` runs with the query count.
"""

from accounts.models import User
from benchmarks.benchmarking import VolumeBenchCommand

PAGES = [
    ("first page", ""),
    ("filtered: no contact 28+ days, stage connect", "?no_contact=on&stage=connect"),
    ("search by name", "?q=alex"),
    ("sorted by last contact, page 3", "?sort=-last_contact&page=3"),
]


class Command(VolumeBenchCommand):
    help = "Measure the supervisor's caseload list on volume data (seeds it when missing)."

    def measure(self, runs):
        supervisor = User.objects.get(username="volume.supervisor1")
        worker = User.objects.get(username="volume.worker01")
        for who, user in [("supervisor", supervisor), ("worker", worker)]:
            for label, query in PAGES:
                self.report(who, label, user, f"/people/{query}", runs)
