"""Phones, zoom and keyboards (issue 16).

- At 320 × 640, and at 200% zoom of a 1280 px window, no page is wider than the
  screen: neither the document nor any element in it. A browser at 200% zoom
  lays a page out exactly as a window half as wide (640 CSS px) drawn at twice
  the pixels, so the tests use a 640 px viewport with ``device_scale_factor=2``.
- The map opens readable on a phone (its smallest label at least 12 px), zooms
  and pans with buttons and keys without asking the server, and without
  JavaScript still offers the list view.
- One focus ring everywhere: tabbing through the header, a form and the map, each
  focused element has an outline of at least 2 px with at least 3:1 contrast
  against the background behind it.
- The person's summary prints on at most two A4 pages, with no links or buttons.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SECTORS = ["family", "friends", "services", "community", "neighbours", "household"]
PHONE = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 400}  # 1280 × 800 at 200%


@pytest.fixture
def full_person(person, owner):
    """Pat with a full map, three goals with steps, two opportunities with
    contacts, reviews, sessions and a next session date."""
    from caseload.models import ServiceUser
    from tests.caseload.factories import SessionFactory
    from tests.goals.factories import GoalFactory, StepFactory, make_review
    from tests.networks.factories import NetworkMemberFactory, make_tie
    from tests.toolkit.factories import ServiceFactory
    from toolkit.models import Contact

    members = [
        NetworkMemberFactory(
            service_user=person,
            label=f"Friend with a long name {i}" if i % 5 == 0 else f"Member {i}",
            sector=SECTORS[i % 6],
            ring=1 + i % 3,
            kind=["person", "group", "place", "activity"][i % 4],
        )
        for i in range(24)
    ]
    make_tie(members[0], members[1])
    choir = ServiceFactory(name="Northfield Community Choir", phone="01234 567890")
    Contact.objects.create(service=choir, name="Jo Bloggs", email="jo@choir.example.org")
    walks = ServiceFactory(name="Health walks", url="https://walks.example.org/a/very/long/path")
    goals = []
    for n, title in enumerate(
        ["Sing with other people again", "Walk to the park twice a week", "Cook with my sister"]
    ):
        goal = GoalFactory(
            service_user=person,
            title=title,
            why_it_matters="It makes me feel like myself",
            target_date=timezone.localdate() - datetime.timedelta(days=3 - n),
        )
        goal.opportunities.add([choir, walks][n % 2])
        for who in ["person", "worker", "other"]:
            StepFactory(goal=goal, what=f"A step for {title.lower()} ({who})", who=who)
        goals.append(goal)
    make_review(person, {goals[0]: -1, goals[1]: -1}, days_ago=40)
    make_review(person, dict.fromkeys(goals, 0), days_ago=2)
    for days in (3, 10, 17):
        SessionFactory(service_user=person, date=timezone.localdate() - datetime.timedelta(days))
    ServiceUser.objects.filter(pk=person.pk).update(
        last_contact_on=timezone.localdate() - datetime.timedelta(days=3),
        next_contact_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    person.refresh_from_db()
    return person


def person_pages(person):
    base = f"/people/{person.public_id}/"
    return {
        "caseload": "/people/",
        "person": base,
        "map": base + "network/",
        "goals": base + "goals/",
        "reviews": base + "goals/reviews/",
        "summary": base + "my-summary/",
        "board": "/board/",
        "week": "/board/week/",
        "sessions": base + "sessions/",
    }


# Elements (outside SVG drawings, which clip their own contents, and outside
# visually hidden text) that reach beyond the viewport.
WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    if (el.closest(".visually-hidden, .visually-hidden-focusable:not(:focus)")) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      const where = `${Math.round(box.left)}–${Math.round(box.right)}`;
      wide.push(`${el.tagName.toLowerCase()}.${el.className} ${where}`);
    }
  }
  return {
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide: wide.slice(0, 10)
  };
}"""

SMALLEST_MAP_LABEL = """() => Math.min(...[...document.querySelectorAll("svg.network-map text")]
  .filter((t) => t.textContent.trim())
  .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""


def assert_fits(page, name):
    result = page.evaluate(WIDE_ELEMENTS)
    assert result["scroll"] <= result["inner"], f"{name} scrolls sideways: {result}"
    assert not result["wide"], f"{name} has elements wider than the screen: {result['wide']}"


def check_pages(context_page, sign_in, axe, owner, supervisor, person, browser_problems):
    page = context_page
    sign_in(page, owner)
    for name, url in person_pages(person).items():
        page.goto(url)
        expect(page.locator("main h1").first).to_be_attached()
        assert_fits(page, name)
        axe(page)
        if name == "map":
            assert page.evaluate(SMALLEST_MAP_LABEL) >= 12
    page.context.clear_cookies()
    sign_in(page, supervisor)
    for url in ["/dashboard/", f"/people/{person.public_id}/access-log/"]:
        page.goto(url)
        assert_fits(page, url)
        axe(page)


def test_no_page_is_wider_than_a_320_px_phone(
    new_context, browser_problems, sign_in, axe, owner, supervisor, full_person
):
    from tests.e2e.conftest import open_page

    page = open_page(new_context(viewport=PHONE), browser_problems)
    check_pages(page, sign_in, axe, owner, supervisor, full_person, browser_problems)


def test_no_page_is_wider_than_1280_px_at_200_percent_zoom(
    new_context, browser_problems, sign_in, axe, owner, supervisor, full_person
):
    from tests.e2e.conftest import open_page

    page = open_page(new_context(viewport=ZOOMED, device_scale_factor=2), browser_problems)
    check_pages(page, sign_in, axe, owner, supervisor, full_person, browser_problems)


def test_map_zooms_and_pans_with_buttons_and_keys_without_a_request(
    new_context, browser_problems, sign_in, axe, owner, full_person
):
    from tests.e2e.conftest import open_page

    page = open_page(new_context(viewport=PHONE), browser_problems)
    sign_in(page, owner)
    page.goto(f"/people/{full_person.public_id}/network/")
    svg = page.locator("svg.network-map")

    def view():
        return [float(n) for n in svg.get_attribute("viewBox").split()]

    requests = []
    page.on(
        "request",
        lambda request: (
            requests.append(request.url)
            if request.resource_type in ("document", "xhr", "fetch")
            else None
        ),
    )
    start = view()
    assert start[2] < 1200  # the readable default view is zoomed in
    page.get_by_role("button", name="Whole map").click()
    assert view() == [0, 0, 1200, 1040]
    assert page.evaluate(SMALLEST_MAP_LABEL) < 12  # which is why it is not the default
    page.get_by_role("button", name="Zoom in").click()
    zoomed = view()
    assert zoomed[2] < 1200
    page.get_by_role("button", name="Move right").click()
    assert view()[0] > zoomed[0]
    viewport = page.get_by_role("group", name=re.compile("^Network map"))
    viewport.focus()
    page.keyboard.press("+")
    assert view()[2] < zoomed[2]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("0")
    assert view() == [0, 0, 1200, 1040]
    expect(page.locator("[data-map-status]")).to_have_text("Showing the whole map.")
    assert requests == []  # zooming and moving never ask the server
    axe(page)


def test_without_javascript_the_map_shows_whole_and_the_list_view_works(
    new_context, browser_problems, sign_in, owner, full_person
):
    from tests.e2e.conftest import open_page

    signed_in = open_page(new_context(viewport=PHONE), browser_problems)
    sign_in(signed_in, owner)
    cookies = signed_in.context.cookies()
    context = new_context(viewport=PHONE, java_script_enabled=False)
    context.add_cookies(cookies)
    page = open_page(context, browser_problems)
    page.goto(f"/people/{full_person.public_id}/network/")
    expect(page.get_by_role("button", name="Zoom in")).to_be_hidden()
    assert page.locator("svg.network-map").get_attribute("viewBox") == "0 0 1200 1040"
    page.get_by_role("link", name="List view: the members as a table").click()
    assert page.url.endswith("#members-table")
    expect(page.get_by_role("table", name="Members of the map")).to_be_in_viewport()
    assert_fits(page, "map without JavaScript")


# The focused element's outline, and the colour behind it: the first ancestor
# with a background, blended over the ones behind when partly transparent.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const layers = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const [r, g, b, a = 1] = parse(getComputedStyle(node).backgroundColor);
    if (a > 0) { layers.push([r, g, b, a]); if (a >= 1) break; }
  }
  let colour = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) {
    colour = [r, g, b].map((value, i) => value * a + colour[i] * (1 - a));
  }
  return {
    what: `${el.tagName.toLowerCase()} ` + (
      el.textContent || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 30),
    width: parseFloat(style.outlineWidth), style: style.outlineStyle,
    outline: parse(style.outlineColor).slice(0, 3), background: colour,
  };
}"""


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tab_and_check(page, presses, seen):
    for _ in range(presses):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if focus is None:
            continue
        seen.append(focus["what"])
        assert focus["style"] != "none" and focus["width"] >= 2, focus
        ratio = contrast(focus["outline"], focus["background"])
        assert ratio >= 3, f"{focus['what']}: focus ring contrast {ratio:.2f} ({focus})"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["wide", "phone"])
def test_focus_ring_is_visible_on_every_background(
    new_context, browser_problems, sign_in, owner, full_person, viewport
):
    from tests.e2e.conftest import open_page

    page = open_page(new_context(viewport=viewport), browser_problems)
    sign_in(page, owner)
    seen = []
    # The header (dark) and the person's page.
    page.goto(f"/people/{full_person.public_id}/")
    if viewport is PHONE:
        page.get_by_role("button", name="Show or hide the menu").click()
        page.locator("body").focus()
    tab_and_check(page, 14, seen)
    # A form: text fields, selects, checkboxes, buttons.
    page.goto(f"/people/{full_person.public_id}/sessions/new/")
    page.locator("main").focus()
    tab_and_check(page, 14, seen)
    # The map: its list link, zoom buttons and the map itself.
    page.goto(f"/people/{full_person.public_id}/network/")
    page.get_by_role("link", name="List view: the members as a table").focus()
    tab_and_check(page, 9, seen)
    assert any(what.startswith("div") for what in seen), seen  # the map took focus
    assert any("Sign out" in what for what in seen) or viewport is PHONE, seen
    assert any(what.startswith(("input", "select", "textarea")) for what in seen), seen


def test_summary_prints_on_at_most_two_a4_pages_without_links_or_buttons(
    page, axe, sign_in, owner, full_person
):
    from caseload.models import AuditEvent

    sign_in(page, owner)
    page.goto(f"/people/{full_person.public_id}/my-summary/")
    expect(page.get_by_role("heading", name="My map and my goals")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Print this summary").click()
    expect(page.get_by_role("status")).to_contain_text("Ready to print")
    # The page has asked the browser to print; make the PDF from a fresh load.
    page.goto(f"/people/{full_person.public_id}/my-summary/")
    page.emulate_media(media="print")
    visible = page.evaluate(
        """() => [...document.querySelectorAll("a, button, input, select, textarea")]
          .filter((el) => el.getClientRects().length
                          && getComputedStyle(el).visibility !== "hidden")
          .map((el) => el.outerHTML.slice(0, 80))"""
    )
    assert visible == []
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the summary printed on {pages} pages"
    assert AuditEvent.objects.filter(
        service_user=full_person, object_type="summary", detail="printed"
    ).exists()


def test_large_print_summary_is_larger_and_still_fits_a_phone(
    new_context, browser_problems, sign_in, axe, owner, full_person
):
    from tests.e2e.conftest import open_page

    page = open_page(new_context(viewport=PHONE), browser_problems)
    sign_in(page, owner)
    page.goto(f"/people/{full_person.public_id}/my-summary/")
    normal = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.summary-goal li')).fontSize)"
    )
    page.get_by_role("link", name="Large print").click()
    large = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.summary-goal li')).fontSize)"
    )
    assert large >= normal * 1.3
    assert_fits(page, "large-print summary")
    axe(page)
