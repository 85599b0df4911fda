import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.caseload.factories import SessionFactory
from toolkit.models import Resource, ResourceVersion

from .factories import ResourceFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def resource_data(**overrides):
    data = {
        "title": "Meeting new people",
        "summary": "A guide.",
        "kind": "guide",
        "body": "Go to the **library** together.",
        "stages": ["connect"],
        "practice_areas": [],
        "tags": "library, groups",
        "external_url": "",
        "review_by": "",
    }
    data.update(overrides)
    return data


def curation_urls(resource, service):
    kwargs = {"public_id": resource.public_id}
    return [
        reverse("toolkit:service_edit", kwargs={"public_id": service.public_id}),
        reverse("toolkit:curation"),
        reverse("toolkit:resource_create"),
        reverse("toolkit:resource_edit", kwargs=kwargs),
        reverse("toolkit:resource_status", kwargs=kwargs),
        reverse("toolkit:resource_history", kwargs=kwargs),
        reverse("toolkit:resource_version", kwargs={**kwargs, "number": 1}),
        reverse("toolkit:service_create"),
        reverse("toolkit:import"),
    ]


@pytest.mark.parametrize("persona", ["owner", "colleague", "other_worker", "supervisor"])
def test_non_curators_get_403_on_every_curation_url(client_for, personas, persona):
    resource = ResourceFactory(status=Resource.Status.DRAFT)
    service = ServiceFactory(name="Unchanged", related=False)
    client = client_for(personas[persona])
    for url in curation_urls(resource, service):
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"action": "publish", "title": "x"}).status_code == 403, url
    resource.refresh_from_db()
    assert resource.status == Resource.Status.DRAFT
    assert Resource.objects.count() == 1
    service.refresh_from_db()
    assert service.name == "Unchanged"


def test_anonymous_post_to_curation_is_sent_to_sign_in(client):
    response = client.post(reverse("toolkit:resource_create"), resource_data())
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Resource.objects.exists()


def test_curator_creates_a_draft_with_a_first_version(client_for, curator):
    client = client_for(curator)
    response = client.post(reverse("toolkit:resource_create"), resource_data())
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "toolkit:resource", kwargs={"public_id": resource.public_id}
    )
    assert resource.status == Resource.Status.DRAFT
    assert resource.stage_codes == ["connect"]
    assert resource.created_by == curator
    version = resource.versions.get()
    assert version.number == 1 and version.created_by == curator
    assert "title" in version.changed_fields


def test_double_submitting_the_create_form_creates_one_resource(client_for, curator):
    client = client_for(curator)
    token = str(uuid.uuid4())
    for _ in range(2):
        client.post(reverse("toolkit:resource_create"), resource_data(submission_token=token))
    assert Resource.objects.count() == 1


def test_preview_shows_the_rendered_text_without_saving(client_for, curator):
    response = client_for(curator).post(
        reverse("toolkit:resource_create"),
        resource_data(action="preview", body="Hello **there** <script>alert(1)</script>"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Preview (not saved yet)" in content
    assert "<strong>there</strong>" in content
    assert "<script>alert(1)" not in content
    assert 'value="Meeting new people"' in content  # answers kept
    assert not Resource.objects.exists()


def test_missing_title_shows_the_error_pattern_and_keeps_answers(client_for, curator):
    response = client_for(curator).post(reverse("toolkit:resource_create"), resource_data(title=""))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in content
    assert "There is a problem" in content
    assert "Go to the **library** together." in content
    assert not Resource.objects.exists()


def test_publish_then_workers_see_it(client_for, curator, owner):
    resource = ResourceFactory(status=Resource.Status.DRAFT)
    url = reverse("toolkit:resource", kwargs={"public_id": resource.public_id})
    assert client_for(owner).get(url).status_code == 404
    client_for(curator).post(
        reverse("toolkit:resource_status", kwargs={"public_id": resource.public_id}),
        {"action": "publish", "version": resource.version},
    )
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.published_at is not None
    assert client_for(owner).get(url).status_code == 200


def test_archive_hides_a_resource_from_workers(client_for, curator, owner):
    resource = ResourceFactory()
    client_for(curator).post(
        reverse("toolkit:resource_status", kwargs={"public_id": resource.public_id}),
        {"action": "archive", "version": resource.version},
    )
    resource.refresh_from_db()
    assert resource.status == Resource.Status.ARCHIVED
    url = reverse("toolkit:resource", kwargs={"public_id": resource.public_id})
    assert client_for(owner).get(url).status_code == 404


def test_edit_records_who_changed_what(client_for, curator):
    client = client_for(curator)
    client.post(reverse("toolkit:resource_create"), resource_data())
    resource = Resource.objects.get()
    client.post(
        reverse("toolkit:resource_edit", kwargs={"public_id": resource.public_id}),
        resource_data(body="New words", version=resource.version),
    )
    resource.refresh_from_db()
    assert resource.body == "New words"
    latest = resource.versions.first()
    assert latest.number == 2 and latest.changed_fields == ["body"]
    history = client.get(
        reverse("toolkit:resource_history", kwargs={"public_id": resource.public_id})
    ).content.decode()
    assert "Version 2" in history and "body" in history and str(curator) in history


def test_stale_edit_shows_a_conflict_and_overwrites_nothing(client_for, curator):
    resource = ResourceFactory(body="Original")
    url = reverse("toolkit:resource_edit", kwargs={"public_id": resource.public_id})
    client = client_for(curator)
    client.post(url, resource_data(body="First save", version=resource.version))
    response = client.post(url, resource_data(body="Stale save", version=resource.version))
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    resource.refresh_from_db()
    assert resource.body == "First save"


def test_restore_an_earlier_version(client_for, curator):
    client = client_for(curator)
    client.post(reverse("toolkit:resource_create"), resource_data(body="Version one text"))
    resource = Resource.objects.get()
    client.post(
        reverse("toolkit:resource_edit", kwargs={"public_id": resource.public_id}),
        resource_data(body="Version two text", stages=["plan"], version=resource.version),
    )
    url = reverse("toolkit:resource_version", kwargs={"public_id": resource.public_id, "number": 1})
    page = client.get(url).content.decode()
    assert "Version one text" in page and "Restore version 1" in page
    client.post(url)
    resource.refresh_from_db()
    assert resource.body == "Version one text"
    assert resource.stage_codes == ["connect"]
    assert ResourceVersion.objects.filter(resource=resource).count() == 3
    assert resource.versions.first().action == "restored version 1"


def test_curation_lists_due_for_review_and_use_in_sessions(client_for, curator, person):
    today = timezone.localdate()
    due = ResourceFactory(title="Needs checking", review_by=today - datetime.timedelta(days=1))
    ResourceFactory(title="Fresh", review_by=today + datetime.timedelta(days=90))
    used = ResourceFactory(title="Popular")
    for _ in range(3):
        SessionFactory(service_user=person).resources_used.add(used)
    client = client_for(curator)
    due_page = client.get(reverse("toolkit:curation"), {"due": "1"}).content.decode()
    assert due.title in due_page and "Fresh" not in due_page
    response = client.get(reverse("toolkit:curation"), {"sort": "used"})
    rows = list(response.context["page_obj"])
    assert rows[0] == used and rows[0].times_used == 3


@pytest.mark.parametrize("rows", [3, 30])
def test_curation_list_runs_a_fixed_number_of_queries(
    client_for, curator, person, rows, django_assert_max_num_queries
):
    for n in range(rows):
        SessionFactory(service_user=person).resources_used.add(ResourceFactory(title=f"R{n}"))
    client = client_for(curator)
    client.get(reverse("toolkit:curation"))
    # At most: one query fewer when the list fits on its first page (its own count).
    with django_assert_max_num_queries(15):
        client.get(reverse("toolkit:curation"))
