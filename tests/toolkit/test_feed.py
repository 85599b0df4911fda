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


@pytest.fixture
def private_feed(settings):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "ORUK_FEED_PUBLIC": False}


def test_feed_is_public_by_default_with_cors_for_get(client):
    ServiceFactory(name="Open group")
    response = client.get(reverse("oruk:services"), HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert response.json()["contents"][0]["name"] == "Open group"
    preflight = client.options(reverse("oruk:services"))
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"


def test_feed_can_be_made_private_by_setting(client, private_feed):
    response = client.get(reverse("oruk:services"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "Access-Control-Allow-Origin" not in response


def test_signed_in_users_can_read_a_private_feed(client_for, owner, private_feed):
    response = client_for(owner).get(reverse("oruk:index"))
    assert response.status_code == 200
    assert response.json()["version"] == "3.0"
    assert response["Cache-Control"] == "private, no-store"
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsupported_methods_answer_405_with_allow_not_403(method, curator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a real browser: CSRF would answer 403
    client.force_login(curator)
    for name, kwargs in [("oruk:services", {}), ("oruk:service", {"id": "x"}), ("oruk:index", {})]:
        response = getattr(client, method)(reverse(name, kwargs=kwargs))
        assert response.status_code == 405, (name, response.status_code)
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert "read-only" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"per_page": "abc"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"page": "-2"}, "page"),
        ({"page": "²"}, "page"),
        ({"start_time": "25:99"}, "start_time"),
        ({"end_time": "noon"}, "end_time"),
        ({"day": "Funday"}, "day"),
        ({"minimum_age": "old"}, "minimum_age"),
    ],
)
def test_malformed_parameters_answer_400_naming_the_parameter(client, query, parameter):
    for name in ["oruk:services", "oruk:service_at_locations"]:
        response = client.get(reverse(name), query)
        assert response.status_code == 400, (name, query)
        body = response.json()
        assert body["parameter"] == parameter
        assert parameter in body["detail"]
    if set(query) <= {"page", "per_page"}:
        for name in ["oruk:taxonomies", "oruk:taxonomy_terms"]:
            assert client.get(reverse(name), query).status_code == 400


def test_day_time_and_age_filters_find_the_right_services(client):
    from toolkit.models import Schedule

    morning = ServiceFactory(name="Morning walk", related__days="TU", minimum_age=18)
    Schedule.objects.filter(service=morning).update(opens_at="10:00", closes_at="11:30")
    evening = ServiceFactory(name="Evening choir", related__days="TH", minimum_age=16)
    Schedule.objects.filter(service=evening).update(opens_at="19:00", closes_at="21:00")

    def names(**query):
        listing = client.get(reverse("oruk:services"), query).json()
        return [s["name"] for s in listing["contents"]]

    assert names(day="tuesday") == ["Morning walk"]
    assert names(day="TH") == ["Evening choir"]
    assert names(start_time="18:00") == ["Evening choir"]
    assert names(end_time="12:00:00") == ["Morning walk"]
    assert names(minimum_age="17") == ["Morning walk"]
    assert names(taxonomy_term_id="not-a-uuid") == []


def test_withdrawn_services_are_not_published(client):
    from django.utils import timezone

    ServiceFactory(name="Still running")
    gone = ServiceFactory(name="Gone from its feed", withdrawn_at=timezone.now())
    listing = client.get(reverse("oruk:services")).json()
    assert [s["name"] for s in listing["contents"]] == ["Still running"]
    assert client.get(reverse("oruk:service", kwargs={"id": gone.public_id})).status_code == 404


def test_the_whole_imported_service_comes_back_in_our_document(client, service_schema):
    original = json.loads((FIXTURES / "hsds3_full_service.json").read_text())
    call_command("import_oruk", str(FIXTURES / "hsds3_full_service.json"), stdout=StringIO())
    ours = client.get(reverse("oruk:service", kwargs={"id": original["id"]})).json()
    validate(ours, service_schema)

    def without_links(rows, *links):
        return [{k: v for k, v in row.items() if k not in links} for row in rows]

    for key in ["name", "description", "url", "email", "status", "fees", "minimum_age",
                "assured_date", "assurer_email", "alert", "last_modified",
                "eligibility_description"]:  # fmt: skip
        assert ours[key] == original[key], key
    assert ours["organization"]["name"] == original["organization"]["name"]
    assert without_links(ours["schedules"], "service_id") == original["schedules"]
    assert without_links(ours["service_areas"], "service_id") == original["service_areas"]
    assert without_links(ours["languages"], "service_id") == original["languages"]
    assert without_links(ours["funding"], "service_id") == original["funding"]
    assert without_links(ours["cost_options"], "service_id") == original["cost_options"]
    assert without_links(ours["phones"], "service_id") == original["phones"]
    contact = ours["contacts"][0]
    assert without_links([contact], "service_id", "phones") == without_links(
        original["contacts"], "phones"
    )
    assert without_links(contact["phones"], "contact_id") == original["contacts"][0]["phones"]
    assert len(ours["service_at_locations"]) == 2
    park = ours["service_at_locations"][0]["location"]
    source = original["service_at_locations"][0]["location"]
    assert without_links(park["addresses"], "location_id") == source["addresses"]
    assert without_links(park["accessibility"], "location_id") == source["accessibility"]
    assert without_links(park["phones"], "location_id") == source["phones"]
    for key in ["name", "location_type", "latitude", "longitude", "external_identifier",
                "external_identifier_type"]:  # fmt: skip
        assert park[key] == source[key], key
    assert ours["attributes"][0]["taxonomy_term"]["name"] == "Walking"


def test_feed_is_read_only(client_for, curator):
    assert client_for(curator).post(reverse("oruk:services"), {}).status_code == 405


def test_imported_examples_come_back_as_valid_service_documents(
    client_for, owner, oruk_reference, service_schema
):
    """The reference examples, read back through the API, validate."""
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
    assert out.getvalue().strip().endswith("created 0, updated 30, unchanged 0, skipped 0")
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
    capped = client.get(reverse("oruk:services"), {"per_page": "5000"}).json()
    assert capped["size"] == 100


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
    with django_assert_num_queries(19):
        client.get(reverse("oruk:services"), {"per_page": 50})


@pytest.fixture
def kept_feed(settings):
    from django.core.cache import caches

    caches["feed"].clear()
    settings.CONNECTING_PEOPLE = {
        **settings.CONNECTING_PEOPLE,
        "ORUK_FEED_PUBLIC": True,
        "ORUK_FEED_CACHE_SECONDS": 60,
    }
    yield
    caches["feed"].clear()


def test_a_feed_page_is_kept_a_while_and_served_without_the_database(
    client, kept_feed, django_assert_max_num_queries
):
    ServiceFactory(name="Walking group")
    url = reverse("oruk:services")
    first = client.get(url, {"per_page": 20, "search": "walking"})
    with django_assert_max_num_queries(0):  # the same page, its parameters in another order
        kept = client.get(url, {"search": "walking", "per_page": 20})
    assert kept.status_code == 200 and kept["Content-Type"] == "application/json"
    assert kept.content == first.content
    assert kept["Access-Control-Allow-Origin"] == "*"
    assert [s["name"] for s in json.loads(kept.content)["contents"]] == ["Walking group"]
    # Another page (here, the same with a parameter more) is built afresh.
    ServiceFactory(name="Walking football")
    other = client.get(url, {"per_page": 20, "search": "walking", "page": 1})
    assert len(json.loads(other.content)["contents"]) == 2


def test_refused_and_private_feed_requests_are_never_kept(client, kept_feed, settings):
    url = reverse("oruk:services")
    assert client.get(url, {"page": "x"}).status_code == 400
    assert client.get(url, {"page": "x"}).status_code == 400
    assert client.get(url, {"per_page": 20}).status_code == 200  # kept
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "ORUK_FEED_PUBLIC": False}
    response = client.get(url, {"per_page": 20})
    assert response.status_code == 302  # to sign in: the kept public copy is not handed out
