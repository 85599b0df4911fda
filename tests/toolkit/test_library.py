import pytest
from django.urls import reverse

from toolkit.models import PracticeArea, Resource

from .factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("toolkit:library"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_worker_sees_published_resources_only(client_for, owner):
    ResourceFactory(title="Published guide")
    ResourceFactory(title="Secret draft", status=Resource.Status.DRAFT)
    ResourceFactory(title="Old archived", status=Resource.Status.ARCHIVED)
    content = client_for(owner).get(reverse("toolkit:library")).content.decode()
    assert "Published guide" in content
    assert "Secret draft" not in content
    assert "Old archived" not in content


def test_curator_sees_drafts_in_the_library(client_for, curator):
    ResourceFactory(title="Secret draft", status=Resource.Status.DRAFT)
    assert "Secret draft" in client_for(curator).get(reverse("toolkit:library")).content.decode()


def test_worker_gets_404_for_a_draft_resource_page(client_for, owner, curator):
    draft = ResourceFactory(status=Resource.Status.DRAFT)
    url = reverse("toolkit:resource", kwargs={"public_id": draft.public_id})
    assert client_for(owner).get(url).status_code == 404
    response = client_for(curator).get(url)
    assert response.status_code == 200
    assert "only curators can see this" in response.content.decode()


def test_search_finds_a_word_from_the_body_and_tags(client_for, owner):
    ResourceFactory(title="Walking", body="Try the **allotment** on Saturday.", tags="garden")
    ResourceFactory(title="Unrelated", body="Nothing here.")
    url = reverse("toolkit:library")
    content = client_for(owner).get(url, {"q": "allotment"}).content.decode()
    assert "Walking" in content
    assert "Unrelated" not in content
    assert "1 resource found" in content
    assert "Walking" in client_for(owner).get(url, {"q": "garden"}).content.decode()


def test_search_with_no_match_says_what_to_do(client_for, owner):
    ResourceFactory(title="Walking")
    response = client_for(owner).get(reverse("toolkit:library"), {"q": "zzzzqqq"})
    assert "No resources match" in response.content.decode()


def test_browse_by_stage_and_practice_area(client_for, owner):
    area = PracticeArea.objects.get(number=6)
    ResourceFactory(title="Plan guide", stages=["plan"], areas=[area])
    ResourceFactory(title="Review guide", stages=["review"])
    client = client_for(owner)
    by_stage = client.get(reverse("toolkit:library"), {"stage": "plan"}).content.decode()
    assert "Plan guide" in by_stage and "Review guide" not in by_stage
    by_area = client.get(reverse("toolkit:library"), {"area": 6}).content.decode()
    assert "Plan guide" in by_area and "Review guide" not in by_area


def test_bad_filter_values_are_ignored_not_errors(client_for, owner):
    response = client_for(owner).get(
        reverse("toolkit:library"), {"stage": "nope", "area": "x", "kind": "<b>", "page": "99"}
    )
    assert response.status_code == 200


def test_resource_page_renders_markdown_safely(client_for, owner):
    resource = ResourceFactory(body="**Bold** <script>alert(1)</script> [x](javascript:alert(2))")
    content = (
        client_for(owner)
        .get(reverse("toolkit:resource", kwargs={"public_id": resource.public_id}))
        .content.decode()
    )
    assert "<strong>Bold</strong>" in content
    assert "alert(1)" not in content
    assert "javascript:alert" not in content


@pytest.mark.parametrize("rows", [3, 30])
def test_library_runs_a_fixed_number_of_queries(
    client_for, owner, rows, django_assert_max_num_queries
):
    for n in range(rows):
        ResourceFactory(title=f"R{n}", stages=["plan", "connect"], areas=[1, 2])
    client = client_for(owner)
    client.get(reverse("toolkit:library"))  # warm the session
    # At most: one query fewer when the list fits on its first page (its own count).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("toolkit:library"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_library_search_runs_a_fixed_number_of_queries(
    client_for, owner, rows, django_assert_max_num_queries
):
    for n in range(rows):
        ResourceFactory(title=f"R{n}", body="common words", stages=["plan"], areas=[1])
    client = client_for(owner)
    client.get(reverse("toolkit:library"))
    # At most: one query fewer when the list fits on its first page (its own count).
    with django_assert_max_num_queries(12):
        client.get(reverse("toolkit:library"), {"q": "common", "stage": "plan"})


def test_search_on_postgresql_stems_words_and_ranks_title_matches_first(client_for, owner):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Full-text search ranking runs on PostgreSQL only.")
    ResourceFactory(title="A Aardvark guide", body="Mentions allotments once.")
    ResourceFactory(title="Z Allotment planning", body="Nothing else.")
    response = client_for(owner).get(reverse("toolkit:library"), {"q": "allotment"})
    titles = [r.title for r in response.context["page_obj"]]
    assert titles == ["Z Allotment planning", "A Aardvark guide"]
