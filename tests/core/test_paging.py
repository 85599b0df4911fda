"""One paging helper: a bad page number is never an error."""

import pytest
from django.test import RequestFactory

from core.paging import paginate

ROWS = list(range(45))


@pytest.mark.parametrize(
    ("page", "number"), [("", 1), ("abc", 1), ("2", 2), ("-1", 3), ("9" * 30, 3), ("²", 1)]
)
def test_any_page_number_gives_a_page(page, number):
    request = RequestFactory().get("/", {"page": page})
    result = paginate(request, ROWS, 20)
    assert result.number == number
    assert len(result.object_list) == (5 if number == 3 else 20)


def test_page_links_keep_the_query_and_elide_far_pages():
    from django.template.loader import render_to_string

    request = RequestFactory().get("/people/", {"q": "Ann & Bo", "page": "10"})
    page_obj = paginate(request, list(range(500)), 20)  # 25 pages
    html = render_to_string("core/_pagination.html", {"page_obj": page_obj, "request": request})
    assert 'href="?q=Ann+%26+Bo&amp;page=9" rel="prev"' in html
    assert 'href="?q=Ann+%26+Bo&amp;page=11" rel="next"' in html
    assert 'href="?q=Ann+%26+Bo&amp;page=10" aria-current="page"' in html
    assert html.count("…") == 2  # 1 2 … 7–13 … 24 25
    assert 'page=25"' in html and 'page=5"' not in html
    assert "Showing 181 to 200 of 500." in html


@pytest.mark.django_db
@pytest.mark.parametrize("as_values", [False, True], ids=["objects", "values"])
@pytest.mark.parametrize("people", [0, 3, 5, 12])
def test_the_first_page_and_the_count_are_read_in_one_query(
    team_a, owner, people, as_values, django_assert_num_queries
):
    from caseload.models import ServiceUser
    from tests.caseload.factories import ServiceUserFactory

    ServiceUserFactory.create_batch(people, team=team_a, allocated_worker=owner)
    listed = ServiceUser.objects.order_by("preferred_name", "id")
    first_five = [p.pk for p in listed[:5]]
    if as_values:
        listed = listed.values("id", "preferred_name")
    with django_assert_num_queries(1):
        page = paginate(RequestFactory().get("/"), listed, 5)
        assert page.paginator.count == people
        assert page.paginator.num_pages == max(1, -(-people // 5))
        assert [p["id"] if as_values else p.pk for p in page] == first_five
        assert page.has_next() is (people > 5)


@pytest.mark.django_db
def test_lists_a_window_cannot_count_are_counted_as_django_does(team_a, owner, colleague):
    from caseload.models import ServiceUser
    from tests.caseload.factories import ServiceUserFactory

    for person in ServiceUserFactory.create_batch(7, team=team_a, allocated_worker=owner):
        person.co_workers.add(owner)
        person.co_workers.add(colleague)
    joined = ServiceUser.objects.filter(co_workers__isnull=False).order_by("id")
    request = RequestFactory().get("/")
    assert paginate(request, joined.distinct(), 5).paginator.count == 7
    assert paginate(request, joined, 5).paginator.count == 14  # a row per co-worker
    values = paginate(request, joined.distinct().values_list("pk", flat=True), 5)
    assert values.paginator.count == 7 and all(isinstance(pk, int) for pk in values)
    assert paginate(RequestFactory().get("/?page=2"), joined.distinct(), 5).paginator.count == 7
