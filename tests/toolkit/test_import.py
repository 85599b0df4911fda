import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from toolkit.models import (
    Contact,
    CostOption,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = [
    ("service_full.json", 1),
    ("service_list.json", 1),
    ("organization_full.json", 1),
    ("service_at_location_full.json", 1),
    ("taxonomy_list.json", 0),
    ("taxonomy_term_list.json", 0),
]
MODELS = [Service, Organization, Location, ServiceAtLocation, Schedule, Contact, CostOption]


def run_import(*paths):
    from io import StringIO

    out = StringIO()
    call_command("import_oruk", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "TaxonomyTerm": TaxonomyTerm.objects.count()
    }


@pytest.mark.parametrize(("name", "services"), EXAMPLES)
def test_each_reference_example_imports_twice_without_duplicates(oruk_reference, name, services):
    path = oruk_reference / name
    first = run_import(path)
    assert (
        first.strip().splitlines()[-1] == f"created {services}, updated 0, unchanged 0, skipped 0"
    )
    after_first = counts()
    second = run_import(path)
    assert (
        second.strip().splitlines()[-1] == f"created 0, updated 0, unchanged {services}, skipped 0"
    )
    assert counts() == after_first


def test_the_full_service_example_brings_its_related_records(oruk_reference):
    run_import(oruk_reference / "service_full.json")
    service = Service.objects.get(public_id="ac148810-d857-441c-9679-408f346de14b")
    assert service.name == "Community Counselling"
    assert service.organization.name == "Example Organization Inc."
    schedule = service.schedules.get()
    assert schedule.day_codes == ["TH", "FR"]
    assert schedule.opens_at.hour == 10
    assert service.locations.get().name == "MyCity Civic Center"
    assert service.locations.get().accessibility.count() == 1
    assert service.contacts.get().name == "Ann Persona"
    assert service.cost_options.get().amount == 35
    assert not service.is_free
    assert list(service.categories.values_list("name", flat=True)) == ["name"]
    assert str(service.assured_date) == "2005-01-01"
    assert "MyCity" in service.search_text


def test_all_examples_together_share_one_service(oruk_reference):
    output = run_import(*(oruk_reference / name for name, _ in EXAMPLES))
    assert output.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, skipped 3"
    assert Service.objects.count() == 1


def test_an_unseen_hsds3_feed_imports_idempotently():
    path = FIXTURES / "hsds3_befriending.json"
    assert run_import(path).strip().endswith("created 3, updated 0, unchanged 0, skipped 0")
    snapshot = counts()
    assert run_import(path).strip().endswith("created 0, updated 0, unchanged 3, skipped 0")
    assert counts() == snapshot
    befriending = Service.objects.get(name="Harbour Befriending")
    assert befriending.is_free
    assert befriending.eligibility_description.startswith("Adults")
    assert befriending.schedules.get().closes_at.strftime("%H:%M") == "16:30"
    assert befriending.contacts.get().phone == "01632 960123"
    assert befriending.locations.get().location_type == "virtual"
    swimmers = Service.objects.get(name="Harbour Sea Swimmers")
    assert swimmers.status == "temporarily closed"
    assert swimmers.organization == befriending.organization
    assert list(swimmers.categories.values_list("name", flat=True)) == ["Befriending"]
    assert Service.objects.get(name="Harbour Library Book Group").organization is None


def test_reimport_removes_children_the_feed_no_longer_lists(tmp_path, oruk_reference):
    run_import(oruk_reference / "service_full.json")
    document = json.loads((oruk_reference / "service_full.json").read_text())
    document["schedules"] = []
    document["name"] = "Community Counselling (renamed)"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document))
    run_import(changed)
    service = Service.objects.get()
    assert service.name == "Community Counselling (renamed)"
    assert not service.schedules.exists()


def write(tmp_path, content, name="feed.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


BAD_FILES = [
    ("this is not json {", "is not valid JSON"),
    ("", "is empty"),
    (json.dumps([1, 2]), "is not an object"),
    (json.dumps("a string"), "not an Open Referral UK document"),
    (json.dumps({"hello": "world"}), "has neither an 'id' nor a 'name'"),
    (json.dumps({"contents": {"id": "x"}}), "'contents' should be a list"),
    (json.dumps({"id": "ac148810-d857-441c-9679-408f346de14b", "status": "active"}), "has no name"),
    (json.dumps({"id": "1", "name": "x", "schedules": "Mondays"}), "should be a list"),
    (json.dumps({"id": "1", "name": "x", "assured_date": "yesterday"}), "is not a date"),
    (json.dumps({"id": "1", "name": "x", "status": "open"}), "is not one of active"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_bad_files_are_rejected_with_a_clear_message_and_write_nothing(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert message in str(error.value)
    assert all(count == 0 for count in counts().values())


def test_one_bad_service_in_a_list_rejects_the_whole_file(tmp_path, oruk_reference):
    document = json.loads((oruk_reference / "service_list.json").read_text())
    document["contents"].append({"id": "5e5e5e5e-6f6f-4a7a-8b8b-9c9c9c9c9c9c", "name": ""})
    with pytest.raises(CommandError, match="item 2: service .* has no name"):
        run_import(write(tmp_path, document))
    assert not Service.objects.exists() and not Organization.objects.exists()


def test_a_rejected_file_among_several_writes_nothing(tmp_path, oruk_reference):
    with pytest.raises(CommandError):
        run_import(oruk_reference / "service_full.json", write(tmp_path, "nope"))
    assert not Service.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run_import(tmp_path / "missing.json")


def test_command_exits_non_zero_from_the_shell(tmp_path):
    import subprocess
    import sys

    bad = write(tmp_path, "nope")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_oruk", str(bad)],
        capture_output=True,
        text=True,
        cwd=FIXTURES.parents[2],
        env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"},
        check=False,
    )
    assert result.returncode != 0
    assert "is not valid JSON" in result.stderr


def test_curator_upload_page_imports_and_reports(client_for, curator, oruk_reference):
    content = (oruk_reference / "service_full.json").read_bytes()
    client = client_for(curator)
    response = client.post(
        reverse("toolkit:import"),
        {"feed": SimpleUploadedFile("service_full.json", content)},
        follow=True,
    )
    assert "created 1, updated 0, unchanged 0, skipped 0" in response.content.decode()
    response = client.post(
        reverse("toolkit:import"),
        {"feed": SimpleUploadedFile("service_full.json", content)},
        follow=True,
    )
    assert "created 0, updated 0, unchanged 1, skipped 0" in response.content.decode()
    assert Service.objects.count() == 1


def test_upload_page_shows_why_a_file_was_rejected(client_for, curator):
    response = client_for(curator).post(
        reverse("toolkit:import"),
        {"feed": SimpleUploadedFile("feed.json", b'{"id": "abc", "status": "active"}')},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in content
    assert "Nothing was imported" in content and "has no name" in content
    assert not Service.objects.exists()


def test_upload_page_without_a_file_asks_for_one(client_for, curator):
    response = client_for(curator).post(reverse("toolkit:import"), {})
    assert "This field is required" in response.content.decode()


def test_imported_links_that_are_not_web_addresses_are_dropped(tmp_path, client_for, owner):
    document = {
        "id": "5e5e5e5e-6f6f-4a7a-8b8b-9c9c9c9c9c9c",
        "name": "Sneaky <script>alert(1)</script>",
        "url": "javascript:alert(1)",
        "organization": {"id": "1", "name": "Org", "website": "data:text/html,x"},
    }
    run_import(write(tmp_path, document))
    service = Service.objects.get()
    assert service.url == "" and service.organization.website == ""
    page = client_for(owner).get(
        reverse("toolkit:service", kwargs={"public_id": service.public_id})
    )
    content = page.content.decode()
    assert "javascript:" not in content
    assert "<script>alert(1)" not in content


def test_fixture_copies_match_the_shared_reference_when_it_is_present(oruk_reference):
    shared = FIXTURES.parents[2].parent / "shared" / "reference" / "oruk"
    if not shared.is_dir():
        shared = FIXTURES.parents[2].parent.parent / "shared" / "reference" / "oruk"
    if not shared.is_dir():
        pytest.skip("The shared reference folder is not beside this checkout.")
    for name, _ in EXAMPLES:
        assert (oruk_reference / name).read_bytes() == (shared / name).read_bytes()


def test_dry_run_reports_counts_and_writes_nothing(oruk_reference):
    from io import StringIO

    out = StringIO()
    call_command("import_oruk", str(oruk_reference / "service_full.json"), "--dry-run", stdout=out)
    assert "nothing was written" in out.getvalue()
    assert out.getvalue().strip().endswith("created 1, updated 0, unchanged 0, skipped 0")
    assert not Service.objects.exists() and not Organization.objects.exists()
