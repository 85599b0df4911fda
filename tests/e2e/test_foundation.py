import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_passes_axe_and_works_at_320px(page, axe, db):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/login/")
    expect(page).to_have_title(re.compile("Sign in"))
    axe(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320


def test_wrong_password_shows_error_summary_that_passes_axe(page, axe, owner):
    page.goto("/login/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("not-the-right-one")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    expect(page.get_by_role("alert")).to_contain_text("username or password is not right")
    expect(page.get_by_label("Username")).to_have_value("owner")
    axe(page)


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("owner", "As a worker"),
        ("colleague", "As a worker"),
        ("other_worker", "As a worker"),
        ("supervisor", "As a supervisor"),
        ("curator", "As a toolkit curator"),
        ("admin", "As an administrator"),
    ],
)
def test_each_persona_signs_in_to_a_home_page_for_its_role(
    page, axe, sign_in, personas, persona, heading
):
    sign_in(page, personas[persona])
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    axe(page)


def test_not_found_page_passes_axe(page, axe, sign_in, owner):
    sign_in(page, owner)
    response = page.goto("/there-is-nothing-here/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    axe(page)


def test_lockout_message_passes_axe(page, axe, owner):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        page.goto("/login/")
        page.get_by_label("Username").fill("owner")
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign-in is locked for now")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("You can try again in")
    axe(page)


def test_next_to_another_site_lands_on_home(page, owner):
    page.goto("/login/?next=//other.example")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("a-long-test-password-42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    assert page.url.rstrip("/").endswith(page.url.split("/", 3)[2])
