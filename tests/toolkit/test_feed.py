import json
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.urls import reverse

from toolkit.models import Service

from .factories import ServiceFactory, TermFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def service_schema(oruk_reference):
    return json.loads((oruk_reference / "service.json").read_text())


@pytest.fixture
def public_feed(settings):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "ORUK_FEED_PUBLIC": True}


def validate(document, schema):
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())


def test_feed_needs_sign_in_by_default(client):
    response = client.get(reverse("oruk:services"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_feed_can_be_made_public_by_setting(client, public_feed):
    ServiceFactory(name="Open group")
    response = client.get(reverse("oruk:services"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["contents"][0]["name"] == "Open group"


def test_signed_in_users_can_read_a_private_feed(client_for, owner):
    response = client_for(owner).get(reverse("oruk:index"))
    assert response.status_code == 200
    assert response.json()["version"] == "3.0"
    assert response["Cache-Control"] == "private, no-store"


def test_feed_is_read_only(client_for, curator):
    assert client_for(curator).post(reverse("oruk:services"), {}).status_code == 405


def test_imported_examples_come_back_as_valid_service_documents(
    client_for, owner, oruk_reference, service_schema
):
    paths = [oruk_reference / "service_full.json", oruk_reference / "organization_full.json"]
    paths.append(FIXTURES / "hsds3_befriending.json")
    call_command("import_oruk", *map(str, paths), stdout=StringIO())
    client = client_for(owner)
    listing = client.get(reverse("oruk:services"), {"per_page": 50}).json()
    assert listing["total_items"] == 4
    for document in listing["contents"]:
        validate(document, service_schema)
    original = json.loads((oruk_reference / "service_full.json").read_text())
    document = client.get(reverse("oruk:service", kwargs={"id": original["id"]})).json()
    validate(document, service_schema)
    assert document["id"] == original["id"]
    assert document["name"] == original["name"]
    assert document["organization"]["id"] == original["organization"]["id"]
    assert document["schedules"][0]["byday"] == "TH,FR"
    assert document["schedules"][0]["opens_at"] == "10:00:00"
    location = document["service_at_locations"][0]["location"]
    assert location["id"] == original["service_at_locations"][0]["location"]["id"]
    assert location["addresses"][0]["postal_code"] == "ABC 1234"
    assert document["cost_options"][0]["amount"] == 35
    assert (
        document["attributes"][0]["taxonomy_term"]["id"]
        == (original["attributes"][0]["taxonomy_term"]["id"])
    )


def test_demo_directory_validates_against_the_schema(client_for, owner, service_schema):
    from toolkit import demo

    demo.seed(stdout=StringIO())
    listing = client_for(owner).get(reverse("oruk:services"), {"per_page": 100}).json()
    assert listing["total_items"] == 30
    for document in listing["contents"]:
        validate(document, service_schema)


def test_our_feed_can_be_imported_back_unchanged(client_for, owner, tmp_path):
    from toolkit import demo

    demo.seed(stdout=StringIO())
    listing = client_for(owner).get(reverse("oruk:services"), {"per_page": 100}).json()
    path = tmp_path / "ours.json"
    path.write_text(json.dumps(listing))
    out = StringIO()
    call_command("import_oruk", str(path), stdout=out)
    assert out.getvalue().strip().endswith("created 0, updated 30, skipped 0")
    assert Service.objects.count() == 30


def test_pagination_fields_follow_the_oruk_profile(client_for, owner):
    for n in range(5):
        ServiceFactory(name=f"Group {n}", related=False)
    client = client_for(owner)
    page = client.get(reverse("oruk:services"), {"page": 2, "per_page": 2}).json()
    assert page["total_items"] == 5
    assert page["total_pages"] == 3
    assert page["page_number"] == 2
    assert page["size"] == 2
    assert page["first_page"] is False and page["last_page"] is False
    assert page["empty"] is False
    assert [s["name"] for s in page["contents"]] == ["Group 2", "Group 3"]
    beyond = client.get(reverse("oruk:services"), {"page": 9, "per_page": 2}).json()
    assert beyond["empty"] is True and beyond["contents"] == []
    nonsense = client.get(reverse("oruk:services"), {"page": "x", "per_page": "-3"})
    assert nonsense.status_code == 200 and nonsense.json()["page_number"] == 1


def test_search_and_taxonomy_filters(client_for, owner):
    term = TermFactory(name="Gardening")
    ServiceFactory(name="Allotment club", related__term=term)
    ServiceFactory(name="Chess club")
    client = client_for(owner)
    found = client.get(reverse("oruk:services"), {"search": "allotment"}).json()
    assert [s["name"] for s in found["contents"]] == ["Allotment club"]
    by_term = client.get(reverse("oruk:services"), {"taxonomy_term_id": term.public_id}).json()
    assert [s["name"] for s in by_term["contents"]] == ["Allotment club"]
    terms = client.get(reverse("oruk:taxonomy_terms"), {"search": "garden"}).json()
    assert [t["name"] for t in terms["contents"]] == ["Gardening"]
    taxonomies = client.get(reverse("oruk:taxonomies")).json()
    assert taxonomies["total_items"] >= 1
    links = client.get(reverse("oruk:service_at_locations"), {"search": "Allotment"}).json()
    assert links["total_items"] == 1
    assert links["contents"][0]["service"]["name"] == "Allotment club"


def test_unknown_ids_get_a_json_404(client_for, owner):
    client = client_for(owner)
    for name in ["oruk:service", "oruk:taxonomy_term", "oruk:taxonomy", "oruk:service_at_location"]:
        for value in ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]:
            response = client.get(reverse(name, kwargs={"id": value}))
            assert response.status_code == 404
            assert "detail" in response.json()


@pytest.mark.parametrize("rows", [3, 30])
def test_services_feed_runs_a_fixed_number_of_queries(
    client_for, owner, rows, django_assert_num_queries
):
    for n in range(rows):
        ServiceFactory(name=f"Group {n}")
    client = client_for(owner)
    client.get(reverse("oruk:index"))
    with django_assert_num_queries(14):
        client.get(reverse("oruk:services"), {"per_page": 50})
