"""Failure pages that say what happened: 503 when the database is unreachable
(and 200 again once it is back, with no restart), 400, 403 and 413 in the
layout with a way back to where the user was."""

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

from connecting_people.views import error_400


@pytest.fixture
def database_down(monkeypatch):
    """Make every new database connection fail, as when PostgreSQL is stopped.

    On PostgreSQL the connection is pointed at a closed port for real; on
    SQLite (whose test database lives in memory) connecting raises the same
    OperationalError the driver would.
    """

    def stop():
        if connection.vendor == "postgresql":
            connection.close()
            monkeypatch.setitem(connection.settings_dict, "PORT", "9")  # discard: closed
            monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        else:

            def refuse(*args, **kwargs):
                raise OperationalError("could not connect to server: Connection refused")

            monkeypatch.setattr(connection, "ensure_connection", refuse)

    def start():
        monkeypatch.undo()
        connection.close()

    return stop, start


@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_while_the_database_is_down_and_200_when_it_is_back(
    owner, person, database_down
):
    stop, start = database_down
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    urls = ["/", "/people/", reverse("caseload:person", args=[person.public_id])]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    stop()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "60"
        html = response.content.decode()
        assert "The service is briefly unavailable" in html
        assert "Nothing you saved has been lost" in html
        assert "Skip to main content" in html  # in the layout
        assert response["Cache-Control"] == "no-store, private"
    anonymous = Client(raise_request_exception=False)
    assert anonymous.get("/login/").status_code in (200, 503)
    start()
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


@pytest.mark.django_db(transaction=True)
def test_healthz_still_answers_503_json_while_the_database_is_down(database_down, owner):
    stop, start = database_down
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(owner)  # its session cannot even be loaded
    stop()
    for client in (Client(raise_request_exception=False), signed_in):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "down"}
    start()
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_the_503_page_replaces_the_debug_page_too(owner, database_down):
    stop, start = database_down
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    stop()
    assert client.get("/people/").status_code == 503
    start()


def test_a_bad_query_is_still_a_500_not_a_503(client_for, owner, monkeypatch):
    from django.db import ProgrammingError

    import connecting_people.views as views

    def broken(request):
        raise ProgrammingError("relation does not exist")

    monkeypatch.setattr(views, "roles_for", lambda user: broken(None))
    client = client_for(owner)
    client.raise_request_exception = False
    assert client.get("/").status_code == 500


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_post_gets_the_413_page_with_the_limit_and_a_way_back(
    client_for, owner, person
):
    client = client_for(owner)
    form = reverse("caseload:person_what_matters", args=[person.public_id])
    response = client.post(
        form, {"what_matters": "x" * 5000}, HTTP_REFERER=f"http://testserver{form}"
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "What you sent is too large" in html
    assert "1000\xa0bytes" in html or "1000 bytes" in html
    assert f'href="http://testserver{form}"' in html
    assert "Skip to main content" in html


def test_the_403_page_links_back_to_the_page_the_user_came_from(client_for, owner):
    client = client_for(owner)
    response = client.get(reverse("toolkit:curation"), HTTP_REFERER="http://testserver/toolkit/")
    assert response.status_code == 403
    assert 'href="http://testserver/toolkit/"' in response.content.decode()


def test_the_back_link_is_never_another_site(client_for, owner):
    response = client_for(owner).get(
        reverse("toolkit:curation"), HTTP_REFERER="https://evil.example/phish"
    )
    assert "evil.example" not in response.content.decode()


def test_the_400_page_is_in_the_layout_with_a_way_back(rf, owner):
    request = rf.get("/x", HTTP_REFERER="http://testserver/people/")
    request.user = owner
    response = error_400(request)
    assert response.status_code == 400
    html = response.content.decode()
    assert "That request could not be used" in html
    assert 'href="http://testserver/people/"' in html


def test_a_request_for_another_host_gets_the_400_page(client, db):
    response = Client(HTTP_HOST="evil.example").get("/login/")
    assert response.status_code == 400
    assert "That request could not be used" in response.content.decode()
