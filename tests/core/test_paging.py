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
