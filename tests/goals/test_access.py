"""Every goals URL, for every persona (DESIGN §6): owner and supervisor in, others 404."""

import pytest
from django.urls import reverse

from tests.caseload.factories import SessionFactory
from tests.goals.factories import make_review


@pytest.fixture
def urls(person, goal, step):
    review = make_review(person, {goal: 1})
    session = SessionFactory(service_user=person)
    p = {"public_id": person.public_id}
    g = {**p, "goal_id": goal.public_id}
    s = {**g, "step_id": step.public_id}
    return {
        "list": reverse("goals:list", kwargs=p),
        "create": reverse("goals:create", kwargs=p),
        "reviews": reverse("goals:reviews", kwargs=p),
        "review_create": reverse("goals:review_create", kwargs=p),
        "review": reverse("goals:review", kwargs={**p, "review_id": review.public_id}),
        "session_goals": reverse(
            "goals:session_goals", kwargs={**p, "session_id": session.public_id}
        ),
        "goal": reverse("goals:goal", kwargs=g),
        "edit": reverse("goals:edit", kwargs=g),
        "step_create": reverse("goals:step_create", kwargs=g),
        "step_edit": reverse("goals:step_edit", kwargs=s),
        "step_delete": reverse("goals:step_delete", kwargs=s),
        "step_done": reverse("goals:step_done", kwargs=s),
    }


@pytest.mark.parametrize(
    "name",
    [
        "list",
        "create",
        "reviews",
        "review_create",
        "review",
        "session_goals",
        "goal",
        "edit",
        "step_create",
        "step_edit",
        "step_delete",
    ],
)
def test_only_owner_and_supervisor_see_goals_pages(assert_person_access, urls, name):
    assert_person_access(urls[name])


def test_only_owner_and_supervisor_can_mark_a_step_done(assert_person_access, urls, step):
    assert_person_access(urls["step_done"], method="post", data={"done": "1"}, ok=(302,))
    step.refresh_from_db()
    assert step.done_on is not None


@pytest.mark.parametrize("name", ["create", "review_create", "step_create"])
def test_outsiders_cannot_post_to_create_forms(assert_person_access, urls, name, goal):
    # Empty posts: the allowed personas get the form back with errors (200), others 404.
    assert_person_access(urls[name], method="post", data={})


def test_co_worker_can_see_goals(client_for, person, colleague, goal):
    person.co_workers.add(colleague)
    response = client_for(colleague).get(reverse("goals:list", args=[person.public_id]))
    assert response.status_code == 200
    assert goal.title in response.content.decode()


def test_another_persons_goal_in_the_url_is_404(client_for, owner, person, others_goal):
    client = client_for(owner)
    for name in ("goals:goal", "goals:edit", "goals:step_create"):
        url = reverse(
            name, kwargs={"public_id": person.public_id, "goal_id": others_goal.public_id}
        )
        assert client.get(url).status_code == 404, name


def test_another_goals_step_in_the_url_is_404(client_for, owner, person, goal, step):
    from tests.goals.factories import GoalFactory

    second = GoalFactory(service_user=person)
    url = reverse(
        "goals:step_edit",
        kwargs={
            "public_id": person.public_id,
            "goal_id": second.public_id,
            "step_id": step.public_id,
        },
    )
    assert client_for(owner).get(url).status_code == 404


def test_another_persons_session_is_404(client_for, owner, person, other_person):
    session = SessionFactory(service_user=other_person)
    url = reverse(
        "goals:session_goals",
        kwargs={"public_id": person.public_id, "session_id": session.public_id},
    )
    assert client_for(owner).get(url).status_code == 404


def test_viewing_the_goals_page_is_audited(client_for, owner, person, goal):
    from caseload.models import AuditEvent

    client_for(owner).get(reverse("goals:list", args=[person.public_id]))
    event = AuditEvent.objects.get(action="view", service_user=person)
    assert event.actor == owner
    client_for(owner).get(goal.get_absolute_url())
    assert AuditEvent.objects.filter(object_type="goal", object_id=str(goal.public_id)).exists()
