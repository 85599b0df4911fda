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
