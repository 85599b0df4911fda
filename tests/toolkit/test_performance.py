"""Volume benchmarks (``make bench``): search at 5,000 resources and 5,000 opportunities,
and importing a 1,000-service ORUK feed. Targets: search < 100 ms, import < 30 s.

Figures are printed; run on PostgreSQL (DATABASE_URL=postgres://...) for the real
numbers. The assertions are generous ceilings, not the targets, so a slow CI machine
does not fail the build while a regression by an order of magnitude does.
"""

import json
import random
import statistics
import time
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from toolkit.models import (
    Location,
    Organization,
    Resource,
    ResourceStage,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

WORDS = [
    "walking",
    "garden",
    "library",
    "choir",
    "art",
    "craft",
    "football",
    "swim",
    "yoga",
    "cook",
    "lunch",
    "tea",
    "dance",
    "music",
    "reading",
    "chess",
    "volunteer",
    "friendship",
    "confidence",
    "network",
    "map",
    "review",
    "plan",
    "goal",
    "boundary",
    "community",
    "neighbour",
    "faith",
    "culture",
    "allotment",
    "bereavement",
    "peer",
    "support",
    "drumming",
    "knit",
]


RARE = [f"zorbl{n:04d}" for n in range(3000)]  # a realistic long tail of rarer words


def sentence(rng, n):
    """Mostly rarer words, with about one common word in eight."""
    return " ".join(
        rng.choice(WORDS) if rng.random() < 0.125 else rng.choice(RARE) for _ in range(n)
    )


def fill(rng, count=5000):
    resources = []
    for n in range(count):
        r = Resource(
            title=f"{sentence(rng, 3).title()} {n}",
            summary=sentence(rng, 20),
            body=sentence(rng, 300),
            tags=", ".join(rng.sample(WORDS, 3)),
            status=Resource.Status.PUBLISHED if n % 5 else Resource.Status.DRAFT,
        )
        r.search_text = r.build_search_text()
        resources.append(r)
    Resource.objects.bulk_create(resources, batch_size=500)
    ids = list(Resource.objects.values_list("id", flat=True))
    stages = ["assess", "plan", "connect", "review"]
    ResourceStage.objects.bulk_create(
        [ResourceStage(resource_id=i, stage=rng.choice(stages)) for i in ids], batch_size=1000
    )
    org = Organization.objects.create(name="Volume organisation")
    terms = [TaxonomyTerm.objects.create(name=w.title()) for w in WORDS[:10]]
    places = [Location.objects.create(name=f"Hall {n}", city="Northfield") for n in range(20)]
    services = []
    for n in range(count):
        s = Service(
            name=f"{sentence(rng, 2).title()} group {n}",
            organization=org,
            description=sentence(rng, 60),
            is_free=bool(n % 2),
        )
        services.append(s)
    Service.objects.bulk_create(services, batch_size=500)
    services = list(Service.objects.select_related("organization"))
    for s in services:
        s.search_text = "\n".join([s.name, s.description, org.name, rng.choice(WORDS)])
    Service.objects.bulk_update(services, ["search_text"], batch_size=500)
    Schedule.objects.bulk_create(
        [Schedule(service=s, byday=rng.choice(["MO", "TU", "WE", "SA"])) for s in services],
        batch_size=1000,
    )
    ServiceAtLocation.objects.bulk_create(
        [ServiceAtLocation(service=s, location=rng.choice(places)) for s in services],
        batch_size=1000,
    )
    through = Service.categories.through
    through.objects.bulk_create(
        [through(service_id=s.id, taxonomyterm_id=rng.choice(terms).id) for s in services],
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return terms


def timed(client, url, params, runs=15):
    client.get(url, params)  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(samples), max(samples)


def test_search_at_5000_resources_and_5000_opportunities(client_for, curator, owner):
    rng = random.Random(4)
    fill(rng)
    figures = {}
    worker = client_for(owner)
    for label, url, params in [
        ("library search, rarer word", reverse("toolkit:library"), {"q": "zorbl0042"}),
        ("library search, common word", reverse("toolkit:library"), {"q": "allotment"}),
        ("library search, two words", reverse("toolkit:library"), {"q": "choir garden"}),
        ("library browse, stage", reverse("toolkit:library"), {"stage": "plan"}),
        ("directory search, rarer word", reverse("toolkit:directory"), {"q": "zorbl0042"}),
        ("directory search, common word", reverse("toolkit:directory"), {"q": "drumming"}),
        ("directory search + day + free", reverse("toolkit:directory"),
         {"q": "knit", "day": "SA", "free": "1"}),
        ("ORUK feed search", reverse("oruk:services"), {"search": "yoga", "per_page": 25}),
    ]:  # fmt: skip
        figures[label] = timed(worker, url, params)
    print(f"\nSearch timings on {connection.vendor}, whole request (median / worst of 15):")
    for label, (median, worst) in figures.items():
        print(f"  {label:34} {median:7.1f} ms / {worst:7.1f} ms")
    assert all(median < 1000 for median, _ in figures.values())


def feed_document(count=1000):
    org_id = str(uuid.uuid4())
    terms = [{"id": str(uuid.uuid4()), "name": w, "description": ""} for w in WORDS[:15]]
    locations = [
        {
            "id": str(uuid.uuid4()),
            "location_type": "physical",
            "name": f"Centre {n}",
            "addresses": [
                {
                    "id": str(uuid.uuid4()),
                    "address_1": f"{n} High Street",
                    "city": "Northfield",
                    "state_province": "Northshire",
                    "postal_code": "NF1 1AA",
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
        }
        for n in range(50)
    ]
    contents = []
    for n in range(count):
        contents.append(
            {
                "id": str(uuid.uuid4()),
                "name": f"Service {n}",
                "description": "A weekly group. " * 5,
                "status": "active",
                "organization": {"id": org_id, "name": "Big directory", "description": ""},
                "schedules": [
                    {"id": str(uuid.uuid4()), "freq": "WEEKLY", "byday": "MO",
                     "opens_at": "10:00", "closes_at": "12:00"}
                ],
                "service_at_locations": [
                    {"id": str(uuid.uuid4()), "location": locations[n % 50]}
                ],
                "contacts": [{"id": str(uuid.uuid4()), "name": "Organiser"}],
                "cost_options": [{"id": str(uuid.uuid4()), "amount": 0, "option": "All"}],
                "attributes": [
                    {"id": str(uuid.uuid4()), "taxonomy_term": terms[n % 15]},
                    {"id": str(uuid.uuid4()), "taxonomy_term": terms[(n + 3) % 15]},
                ],
            }
        )  # fmt: skip
    return {"total_items": count, "page_number": 1, "size": count, "contents": contents}


def test_import_a_1000_service_feed(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(feed_document()))
    timings = []
    # The second import of the same feed finds every service unchanged.
    for expected in [
        "created 1000, updated 0, unchanged 0, skipped 0",
        "created 0, updated 0, unchanged 1000, skipped 0",
    ]:
        out = StringIO()
        started = time.perf_counter()
        call_command("import_oruk", str(path), stdout=out)
        timings.append(time.perf_counter() - started)
        assert out.getvalue().strip().endswith(expected)
    assert Service.objects.count() == 1000
    print(
        f"\nImport of 1,000 services on {connection.vendor}: first run {timings[0]:.1f} s, "
        f"re-import {timings[1]:.1f} s ({path.stat().st_size / 1e6:.1f} MB)"
    )
    assert max(timings) < 120
