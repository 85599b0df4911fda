"""role_required: one shape for every role check, one 403 page for every refusal."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.decorators import role_required

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# persona → the roles it holds
HOLDS = {
    "owner": {"worker", "team"},
    "colleague": {"worker", "team"},
    "other_worker": {"worker", "team"},
    "supervisor": {"supervisor", "team"},
    "curator": {"curator"},
    "admin": {"curator"},  # administrators hold every permission, curating included
}


def _view(request):
    return HttpResponse("in")


def _call(view, user):
    request = RequestFactory().get("/")
    request.user = user
    return view(request)


@pytest.mark.parametrize("role", ["worker", "supervisor", "curator", "team"])
@pytest.mark.parametrize("persona", list(HOLDS))
def test_each_role_lets_in_only_the_people_who_hold_it(personas, persona, role):
    view = role_required(role)(_view)
    if role in HOLDS[persona]:
        assert _call(view, personas[persona]).content == b"in"
    else:
        with pytest.raises(PermissionDenied):
            _call(view, personas[persona])


def test_several_roles_let_in_anyone_holding_one(personas):
    view = role_required("supervisor", "curator")(_view)
    assert _call(view, personas["supervisor"]).content == b"in"
    assert _call(view, personas["curator"]).content == b"in"
    with pytest.raises(PermissionDenied, match="Only supervisors or toolkit curators can do this"):
        _call(view, personas["owner"])


def test_the_refusal_says_who_may(personas):
    with pytest.raises(PermissionDenied, match="Only workers and supervisors can do this"):
        _call(role_required("team")(_view), personas["curator"])


def test_anonymous_and_inactive_users_hold_no_role(owner):
    view = role_required("worker")(_view)
    with pytest.raises(PermissionDenied):
        _call(view, AnonymousUser())
    owner.is_active = False
    with pytest.raises(PermissionDenied):
        _call(view, owner)


def test_the_admin_role_is_staff():
    from accounts.decorators import has_role
    from tests.accounts.factories import UserFactory

    staff = UserFactory.build(is_staff=True, is_active=True)
    assert has_role(staff, "admin")
    assert not has_role(UserFactory.build(is_active=True), "admin")


def test_an_unknown_role_is_a_mistake_caught_at_import():
    with pytest.raises(ValueError, match="boss"):
        role_required("boss")
    with pytest.raises(ValueError):
        role_required()


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [
        ("caseload:list", "curator"),
        ("caseload:person_create", "admin"),
        ("workflow:dashboard", "owner"),
        ("workflow:dashboard_people", "owner"),
        ("workflow:dashboard_export", "curator"),
        ("toolkit:curation", "supervisor"),
        ("toolkit:resource_create", "owner"),
    ],
)
def test_a_refused_get_gets_the_same_403_page_everywhere(client_for, personas, url_name, persona):
    response = client_for(personas[persona]).get(reverse(url_name))
    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]
    assert "You do not have permission to do that" in response.content.decode()
