import pytest


@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("owner", ["As a worker"], ["As a supervisor", "As a toolkit curator", "Administration"]),
        ("supervisor", ["As a supervisor", "Team A"], ["As a worker", "As a toolkit curator"]),
        ("curator", ["As a toolkit curator"], ["As a worker", "As a supervisor"]),
        ("admin", ["As an administrator", 'href="/admin/"'], ["As a worker"]),
    ],
)
def test_home_page_tells_each_role_what_it_can_do(client_for, personas, persona, expected, absent):
    html = client_for(personas[persona]).get("/").content.decode()
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html


def test_user_without_a_role_is_told_to_ask_for_one(client_for, db):
    from tests.accounts.factories import UserFactory

    html = client_for(UserFactory()).get("/").content.decode()
    assert "does not have a role yet" in html


def test_home_links_only_to_pages_that_exist(client_for, personas):
    import re

    from django.urls import resolve

    for user in personas.values():
        html = client_for(user).get("/").content.decode()
        for href in re.findall(r'href="(/[^"#]*)"', html):
            if href.startswith("/static/"):
                continue
            resolve(href.split("?")[0])  # raises Resolver404 if the page does not exist


def test_unknown_page_is_a_404_in_the_layout(client_for, owner):
    response = client_for(owner).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Skip to main content" in html


def test_pages_load_nothing_from_other_hosts(client_for, personas):
    import re

    for path in ["/", "/password/change/"]:
        html = client_for(personas["owner"]).get(path).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), path


def test_server_error_page_renders_without_request_context():
    from connecting_people.views import error_500

    response = error_500(None)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


def test_forbidden_page_is_in_the_layout(rf, owner):
    from connecting_people.views import error_403

    request = rf.get("/")
    request.user = owner
    response = error_403(request)
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_a_get_to_a_post_only_address_explains_itself_in_the_layout(client_for, owner):
    response = client_for(owner).get("/account/sessions/end-others/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    html = response.content.decode()
    assert "That action is not available here" in html
    assert "Skip to main content" in html


@pytest.mark.parametrize(
    ("path", "active"),
    [("/toolkit/directory/", "Directory"), ("/toolkit/", "Toolkit"), ("/people/", "Caseload")],
)
def test_only_the_most_specific_navigation_entry_is_highlighted(client_for, owner, path, active):
    html = client_for(owner).get(path).content.decode()
    assert html.count('aria-current="page"') >= 1
    highlighted = [
        chunk.split(">", 1)[1].split("<", 1)[0]
        for chunk in html.split('class="nav-link active"')[1:]
    ]
    assert highlighted == [active]
