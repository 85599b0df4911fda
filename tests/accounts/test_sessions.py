"""Your sessions: each signed-in device, and signing out any or all of the others."""

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import TEST_PASSWORD

SESSIONS = "/account/sessions/"


@pytest.fixture(autouse=True)
def fresh_cache(db):
    cache.clear()


def signed_in(username, agent):
    """A browser signed in through the sign-in page (so its session is tracked)."""
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post("/login/", {"login": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36"


def test_sessions_page_lists_each_device_with_browser_address_and_last_seen(owner):
    laptop = signed_in("owner", FIREFOX)
    signed_in("owner", CHROME)
    html = laptop.get(SESSIONS).content.decode()
    assert "Firefox on Windows" in html
    assert "Chrome on Linux" in html
    assert "127.0.0.1" in html
    assert "This device" in html
    assert html.count("Sign out<span") == 1  # the other one, not this one


def test_signing_out_one_other_session_ends_it(owner):
    laptop = signed_in("owner", FIREFOX)
    phone = signed_in("owner", CHROME)
    other = UserSession.objects.get(user_agent=CHROME)
    response = laptop.post(reverse("accounts:session_end", args=[other.pk]))
    assert response.status_code == 302
    assert phone.get("/")["Location"].startswith("/login/")
    assert laptop.get("/").status_code == 200
    assert "Chrome on Linux" not in laptop.get(SESSIONS).content.decode()


def test_signing_out_all_others_keeps_this_one(owner):
    laptop = signed_in("owner", FIREFOX)
    others = [signed_in("owner", CHROME) for _ in range(2)]
    laptop.post(reverse("accounts:sessions_end_others"))
    for other in others:
        assert other.get("/")["Location"].startswith("/login/")
    assert laptop.get("/").status_code == 200


def test_someone_elses_session_cannot_be_ended(owner, colleague):
    mine = signed_in("owner", FIREFOX)
    theirs = signed_in("colleague", CHROME)
    row = UserSession.objects.get(user=colleague)
    assert mine.post(reverse("accounts:session_end", args=[row.pk])).status_code == 404
    assert theirs.get("/").status_code == 200


def test_the_current_session_is_not_ended_from_the_list(owner):
    laptop = signed_in("owner", FIREFOX)
    row = UserSession.objects.get(user=owner)
    assert laptop.post(reverse("accounts:session_end", args=[row.pk])).status_code == 404
    assert laptop.get("/").status_code == 200


def test_a_password_change_signs_out_every_other_session(owner):
    laptop = signed_in("owner", FIREFOX)
    phone = signed_in("owner", CHROME)
    new = "a-new-long-password-77"
    response = laptop.post(
        "/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert phone.get("/")["Location"].startswith("/login/")
    assert laptop.get("/").status_code == 200
    assert UserSession.objects.filter(user=owner).count() == 1


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    assert client.get(SESSIONS)["Location"].startswith("/login/")


def test_sessions_page_queries_do_not_grow_with_sessions(owner, django_assert_max_num_queries):
    laptop = signed_in("owner", FIREFOX)
    counts = []
    for more in (1, 6):
        for _ in range(more):
            signed_in("owner", CHROME)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert laptop.get(SESSIONS).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
