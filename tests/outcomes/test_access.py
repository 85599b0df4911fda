"""Every outcomes URL for every persona (DESIGN §6): owner and supervisor in,
others 404, anonymous to sign in; deleting is the supervisor's."""

import pytest
from django.urls import reverse

from caseload.models import AuditEvent
from tests.outcomes.factories import make_result, ucla


@pytest.fixture
def result(person):
    return make_result(person, "ucla3", ucla(2, 2, 2), timepoint="baseline", days_ago=3)


@pytest.fixture
def urls(person, result):
    p = {"public_id": person.public_id}
    r = {**p, "result_id": result.public_id}
    return {
        "list": reverse("outcomes:list", kwargs=p),
        "choose": reverse("outcomes:result_create", kwargs=p),
        "create": reverse("outcomes:result_create", kwargs=p) + "?instrument=ucla3",
        "result": reverse("outcomes:result", kwargs=r),
        "edit": reverse("outcomes:result_edit", kwargs=r),
        "delete": reverse("outcomes:result_delete", kwargs=r),
    }


@pytest.mark.parametrize("name", ["list", "choose", "create", "result", "edit"])
def test_only_owner_and_supervisor_see_outcomes_pages(assert_person_access, urls, name):
    assert_person_access(urls[name])


def test_only_the_supervisor_reaches_the_delete_page(assert_person_access, urls, client_for, owner):
    assert_person_access(urls["delete"], allowed=("supervisor",))
    assert client_for(owner).get(urls["delete"]).status_code == 403


@pytest.mark.parametrize(("name", "ok"), [("create", (200,)), ("edit", (409,))])
def test_outsiders_cannot_post_to_the_forms(assert_person_access, urls, name, ok):
    # Empty posts: the allowed personas get the form back with errors (the edit
    # form, without the version it was loaded at, the conflict page); others 404.
    assert_person_access(urls[name], method="post", data={"instrument": "ucla3"}, ok=ok)


def test_a_co_worker_sees_the_outcomes(client_for, person, colleague, result):
    person.co_workers.add(colleague)
    response = client_for(colleague).get(reverse("outcomes:list", args=[person.public_id]))
    assert response.status_code == 200
    assert "UCLA 3-item loneliness scale" in response.content.decode()


def test_another_persons_result_in_the_url_is_404(client_for, owner, person, other_person):
    theirs = make_result(other_person, "ucla3", ucla(1, 1, 1), timepoint="baseline")
    client = client_for(owner)
    for name in ("outcomes:result", "outcomes:result_edit"):
        url = reverse(name, kwargs={"public_id": person.public_id, "result_id": theirs.public_id})
        assert client.get(url).status_code == 404, name


def test_viewing_outcomes_pages_is_audited(client_for, owner, person, result, urls):
    client = client_for(owner)
    for name in ("list", "choose", "create", "result", "edit"):
        before = AuditEvent.objects.filter(service_user=person, action="view").count()
        client.get(urls[name])
        assert AuditEvent.objects.filter(service_user=person, action="view").count() == before + 1
    assert AuditEvent.objects.filter(
        action="view", object_type="result", object_id=str(result.public_id)
    ).exists()


def test_the_person_and_journey_pages_link_to_the_outcomes(client_for, owner, person):
    client = client_for(owner)
    target = reverse("outcomes:list", args=[person.public_id])
    assert target in client.get(person.get_absolute_url()).content.decode()
    assert target in client.get(f"/people/{person.public_id}/journey/").content.decode()
