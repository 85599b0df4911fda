"""Benchmark (``make bench``): the supervisor's caseload list on 10,000 people and
200,000 sessions. Prints the figures; on PostgreSQL asserts the 150 ms target."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PEOPLE = 10_000


def test_supervisor_caseload_list_renders_fast_on_volume_data(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("bench_caseload", people=PEOPLE, sessions_per_person=20, runs=7, stdout=out)
    report = out.getvalue()
    print(report)
    medians = {
        line.split("median")[0].strip(): float(re.search(r"median\s+([\d.]+)", line).group(1))
        for line in report.splitlines()
        if line.startswith("supervisor")
    }
    assert len(medians) == 4
    if connection.vendor == "postgresql":
        assert max(medians.values()) < 150, medians
