"""Phones, zoom and keyboards (issue 16): no page wider than a 320 px screen or
than 1280 px at 200% zoom, a readable map with zoom controls, and one focus
ring with enough contrast everywhere."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SECTORS = ["family", "friends", "services", "community", "neighbours", "household"]


@pytest.fixture
def mapped_person(person):
    from tests.networks.factories import NetworkMemberFactory

    for i in range(24):
        NetworkMemberFactory(
            service_user=person, label=f"Member {i}", sector=SECTORS[i % 6], ring=1 + i % 3
        )
    return person


SMALLEST_MAP_LABEL = """() => {
  const sizes = [...document.querySelectorAll("svg.network-map text")]
    .filter((t) => t.textContent.trim())
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  return Math.min(...sizes);
}"""


def test_map_opens_readable_on_a_phone_and_zooms_without_a_request(
    page, axe, sign_in, owner, mapped_person
):
    sign_in(page, owner)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/people/{mapped_person.public_id}/network/")
    expect(page.get_by_role("button", name="Zoom in")).to_be_visible()
    page.locator(".network-figure").scroll_into_view_if_needed()
    page.locator(".network-figure").screenshot(path="/tmp/phone/map320.png")
    page.get_by_role("button", name="Move right").click()
    page.get_by_role("button", name="Move down").click()
    page.locator("[data-map-viewport]").screenshot(path="/tmp/phone/map320b.png")
    print(page.evaluate(SMALLEST_MAP_LABEL))
