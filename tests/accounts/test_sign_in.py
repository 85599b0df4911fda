from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.signals import SESSION_STARTED_KEY
from tests.accounts.factories import TEST_PASSWORD

LOGIN = "/login/"


def sign_in(client, username, password=TEST_PASSWORD, next_url=None):
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    data = {"login": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(url, data)


def test_login_page_is_served_in_the_layout(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en-GB">' in html
    assert "Skip to main content" in html
    assert '<main id="main-content"' in html


def test_worker_signs_in_and_lands_on_home(client, owner):
    response = sign_in(client, "owner")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_gives_the_same_message_as_unknown_user(client, owner):
    wrong_password = sign_in(client, "owner", "not-the-password").content.decode()
    unknown_user = sign_in(client, "nobody-here", "not-the-password").content.decode()
    message = "The username or password is not right"
    assert message in wrong_password
    assert message in unknown_user
    assert "<title>Error: Sign in" in wrong_password
    assert 'class="error-summary"' in wrong_password
    # The typed username is kept.
    assert 'value="owner"' in wrong_password


def test_repeated_failures_lock_the_account_with_a_retry_time(client, owner):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "owner", "wrong-password-again")
    response = sign_in(client, "owner")  # even the right password is refused now
    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in is locked for now" in html
    assert "You can try again in 15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_next_pointing_to_another_site_is_ignored(client, owner):
    for target in ["//other.example", "https://other.example/x", "http://other.example"]:
        client.logout()
        response = sign_in(client, "owner", next_url=target)
        assert response.status_code == 302
        assert response["Location"] == reverse("home"), target


def test_next_on_this_site_is_followed(client, owner):
    response = sign_in(client, "owner", next_url="/password/change/")
    assert response["Location"] == "/password/change/"


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=/")


def test_signed_in_user_visiting_login_goes_home(client, owner):
    client.force_login(owner)
    assert client.get(LOGIN)["Location"] == reverse("home")


def test_session_ends_after_thirty_minutes_idle_and_renews_on_use(client, owner):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client.force_login(owner)
    response = client.get("/")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_session_older_than_twelve_hours_is_ended(client, owner):
    client.force_login(owner)
    session = client.session
    session[SESSION_STARTED_KEY] = (timezone.now() - timedelta(hours=12, minutes=1)).timestamp()
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_session_younger_than_twelve_hours_continues(client, owner):
    client.force_login(owner)
    session = client.session
    session[SESSION_STARTED_KEY] = (timezone.now() - timedelta(hours=11)).timestamp()
    session.save()
    assert client.get("/").status_code == 200


def test_sign_out_is_a_post_and_ends_the_session(client, owner):
    client.force_login(owner)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("password", ["short-pass1", "12345678901234", "password1234"])
def test_weak_passwords_are_refused_on_change(client, owner, password):
    client.force_login(owner)
    response = client.post(
        "/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(TEST_PASSWORD)


def test_password_of_twelve_characters_is_accepted(client, owner):
    client.force_login(owner)
    new = "quiet-river-9"
    response = client.post(
        "/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(new)


def test_password_reset_sends_an_email_without_revealing_accounts(client, owner, mailoutbox):
    known = client.post("/password/reset/", {"email": owner.email})
    unknown = client.post("/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 1
    assert "/password/reset/" in mailoutbox[0].body
