"""Benchmarks (run with `make bench`): a 40-member, 200-tie map page under 100 ms
server-side with a fixed number of queries; its metrics under 20 ms."""

import itertools
import random
import statistics
import time

import pytest

from networks import metrics, picture
from networks.models import Kind, Quality, Sector, Tie
from tests.networks.factories import NetworkMemberFactory

pytestmark = pytest.mark.slow


@pytest.fixture
def big_map(person):
    rnd = random.Random(5)
    members = [
        NetworkMemberFactory(
            service_user=person,
            label=f"Member {i:02d} {rnd.choice(['Sam', 'Choir', 'Library group', 'GP'])}",
            kind=rnd.choice(Kind.values),
            sector=rnd.choice(Sector.values),
            ring=rnd.choice([1, 2, 3]),
            quality=rnd.choice(Quality.values),
            support=rnd.sample(["emotional", "practical", "information", "companionship"], 2),
        )
        for i in range(40)
    ]
    pairs = rnd.sample(list(itertools.combinations(members, 2)), 200)
    Tie.objects.bulk_create(
        Tie(
            service_user=person,
            member_a=min(a, b, key=lambda m: m.pk),
            member_b=max(a, b, key=lambda m: m.pk),
        )
        for a, b in pairs
    )
    return members


def _timed(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def test_forty_member_two_hundred_tie_map_page_is_fast(
    client_for, owner, url, big_map, django_assert_num_queries, nothing_kept
):
    client = client_for(owner)
    client.get(url("map"))
    # The same budget as the 3- and 30-member pages in test_members.
    with django_assert_num_queries(14) as queries:
        assert client.get(url("map")).status_code == 200
    query_count = len(queries)
    median, worst = _timed(lambda: client.get(url("map")), 20)
    print(
        f"\nmap page, 40 members / 200 ties: median {median:.1f} ms, worst {worst:.1f} ms, "
        f"{query_count} queries"
    )
    assert median < 100


def test_forty_member_two_hundred_tie_metrics_and_layout_are_fast(big_map, person):
    from networks.selectors import map_data

    data = map_data(person)
    assert len(data["ties"]) == 200
    median, worst = _timed(lambda: metrics.compute(data["members"], data["ties"]), 50)
    print(f"\nmetrics, 40 members / 200 ties: median {median:.2f} ms, worst {worst:.2f} ms")
    assert median < 20
    lay_median, lay_worst = _timed(
        lambda: picture.layout(data["members"], data["ties"], person_label="Pat"), 20
    )
    print(f"layout: median {lay_median:.2f} ms, worst {lay_worst:.2f} ms")
