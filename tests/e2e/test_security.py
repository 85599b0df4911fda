"""Sign-in security in a real browser: TOTP, the set-up rule, passkeys through
Chromium's virtual authenticator, and signing out another session. Every page
passes axe, with no CSP violation and no console error (see conftest)."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_curator, make_supervisor, totp_code, wrong_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_signs_in_with_password_and_a_code_from_an_authenticator_app(
    page, axe, supervisor
):
    page.goto("/login/")
    axe(page)
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill("a-long-test-password-42")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    axe(page)
    page.get_by_label("Code from your authenticator app").fill(wrong_code())
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile("^Error: Enter your code"))
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    axe(page)
    page.get_by_label("Code from your authenticator app").fill(totp_code())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="As a supervisor")).to_be_visible()
    axe(page)


def test_supervisor_without_mfa_cannot_reach_the_dashboard_until_set_up(page, axe, team_a):
    make_supervisor(team_a, username="newsup", first_name="Nia", totp=False)
    page.goto("/login/")
    page.get_by_label("Username").fill("newsup")
    page.get_by_label("Password").fill("a-long-test-password-42")
    page.get_by_role("button", name="Sign in", exact=True).click()
    for url in ["/dashboard/", "/people/", "/admin/"]:
        page.goto(url)
        expect(page).to_have_url(re.compile("/account/mfa/$"))
    expect(page.get_by_role("heading", name="Sign-in and security")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Set one up to continue")
    axe(page)
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    axe(page)
    key = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("Authenticator code").fill(totp_code(key))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    axe(page)
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile("/dashboard/"))
    expect(page.get_by_role("heading", name="Team A")).to_be_visible()
    axe(page)


def add_virtual_authenticator(page):
    """Chromium's virtual authenticator: a passkey-capable platform key that
    always verifies the user (as a fingerprint would)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


def test_curator_registers_a_passkey_and_signs_in_with_it(page, axe, sign_in, db):
    from allauth.mfa.models import Authenticator

    curator = make_curator(username="cora", first_name="Cora")
    add_virtual_authenticator(page)
    sign_in(page, curator)
    page.goto("/account/mfa/")
    axe(page)
    page.get_by_role("link", name="Add a passkey or security key").click()
    expect(page.get_by_role("heading", name="Add a passkey or security key")).to_be_visible()
    axe(page)
    page.get_by_label("Name for this key").fill("Work laptop")
    page.get_by_label("Also use it to sign in without a password").check()
    page.get_by_role("button", name="Add key").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    axe(page)
    key = Authenticator.objects.get(user=curator, type="webauthn")
    assert key.wrap().name == "Work laptop"
    assert key.wrap().is_passwordless
    page.goto("/account/mfa/webauthn/")
    expect(page.get_by_role("cell", name="Work laptop", exact=True)).to_be_visible()
    axe(page)
    # Sign out, then back in with the passkey alone: no password, no code.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", name="As a toolkit curator")).to_be_visible()
    axe(page)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_user_signs_out_another_session_and_that_session_is_gone(
    new_context, browser_problems, axe, sign_in, owner
):
    from tests.e2e.conftest import open_page

    laptop = open_page(new_context(), browser_problems)
    phone = open_page(
        new_context(user_agent="Mozilla/5.0 (iPhone) AppleWebKit/605 Version/18 Safari/605"),
        browser_problems,
    )
    sign_in(laptop, owner)
    sign_in(phone, owner)
    laptop.goto("/account/sessions/")
    expect(laptop.get_by_role("heading", name="Your sessions")).to_be_visible()
    expect(laptop.get_by_role("cell", name=re.compile("This device"))).to_be_visible()
    expect(laptop.get_by_role("cell", name="Safari on iPhone", exact=True)).to_be_visible()
    axe(laptop)
    laptop.get_by_role("button", name=re.compile("^Sign out Safari on iPhone")).click()
    expect(laptop.get_by_role("status")).to_contain_text("That session has been signed out")
    expect(laptop.get_by_role("cell", name="Safari on iPhone", exact=True)).to_have_count(0)
    axe(laptop)
    phone.goto("/people/")
    expect(phone).to_have_url(re.compile("/login/"))
    expect(phone.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    axe(phone)
    laptop.goto("/people/")
    expect(laptop).to_have_url(re.compile("/people/$"))


def test_the_admin_works_under_the_content_security_policy(page, axe, sign_in, admin_user, owner):
    """Django's admin pages (lists, change forms with their scripts, our refused-access
    list) raise no CSP violation or console error. (They are Django's own markup,
    which axe faults in places; axe is not run on them.)"""
    sign_in(page, admin_user)
    page.goto("/people/00000000-0000-0000-0000-000000000000/")  # refused: recorded
    for url in [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{owner.pk}/change/",
        "/admin/accounts/accessdeniedevent/",
        "/admin/accounts/securityevent/",
        "/admin/accounts/team/add/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name=re.compile("Add team"))).to_be_visible()
