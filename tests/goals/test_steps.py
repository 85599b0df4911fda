"""Steps towards a goal: who does what by when; overdue steps stand out."""

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from goals.models import Step
from tests.goals.factories import StepFactory


def step_url(name, person, goal, step=None):
    kwargs = {"public_id": person.public_id, "goal_id": goal.public_id}
    if step is not None:
        kwargs["step_id"] = step.public_id
    return reverse(f"goals:{name}", kwargs=kwargs)


def step_data(**overrides):
    data = {
        "what": "Ask about the gardening club",
        "who": "worker",
        "who_name": "",
        "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "done_on": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_worker_adds_a_step_once_even_if_sent_twice(client_for, owner, person, goal):
    client = client_for(owner)
    data = step_data()
    client.post(step_url("step_create", person, goal), data)
    response = client.post(step_url("step_create", person, goal), data)
    assert response.status_code == 302
    step = Step.objects.get()
    assert (step.goal, step.who, step.what) == (goal, "worker", "Ask about the gardening club")


def test_a_step_due_before_the_goal_was_agreed_is_a_field_error(client_for, owner, person, goal):
    early = (goal.set_on - datetime.timedelta(days=1)).isoformat()
    response = client_for(owner).post(
        step_url("step_create", person, goal), step_data(due_on=early)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The due date must be on or after the day the goal was agreed" in page
    assert 'href="#id_due_on"' in page
    assert "Ask about the gardening club" in page
    assert not Step.objects.exists()


def test_someone_else_needs_a_name(client_for, owner, person, goal):
    response = client_for(owner).post(
        step_url("step_create", person, goal), step_data(who="other", who_name="")
    )
    assert "Enter who will do it" in response.content.decode()
    client_for(owner).post(
        step_url("step_create", person, goal), step_data(who="other", who_name="Sister")
    )
    assert Step.objects.get().who_display == "Sister"


def test_unknown_who_is_a_field_error(client_for, owner, person, goal):
    response = client_for(owner).post(step_url("step_create", person, goal), step_data(who="boss"))
    assert response.status_code == 200
    assert "Choose who will do this step." in response.content.decode()


def test_marking_a_step_done_and_undoing_it(client_for, owner, person, goal, step):
    client = client_for(owner)
    client.post(step_url("step_done", person, goal, step), {"done": "1"})
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    client.post(step_url("step_done", person, goal, step), {"done": "0"})
    step.refresh_from_db()
    assert step.done_on is None


def test_marking_done_needs_a_post(client_for, owner, person, goal, step):
    response = client_for(owner).get(step_url("step_done", person, goal, step))
    assert response.status_code == 405


def test_overdue_steps_stand_out_in_words(client_for, owner, person, goal):
    StepFactory(
        goal=goal,
        what="Phone the library",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    StepFactory(
        goal=goal,
        what="Buy boots",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
        done_on=timezone.localdate(),
    )
    page = client_for(owner).get(reverse("goals:list", args=[person.public_id])).content.decode()
    assert page.count("Overdue</span>") == 1
    assert "step-overdue" in page


def test_editing_a_step_with_a_stale_version_shows_a_conflict(
    client_for, owner, supervisor, person, goal, step
):
    url = step_url("step_edit", person, goal, step)
    base = step_data(what=step.what, version="1")
    base.pop("submission_token")
    client_for(supervisor).post(url, {**base, "what": "Supervisor's step"})
    response = client_for(owner).post(url, {**base, "what": "Owner's step"})
    assert response.status_code == 409
    assert "Someone else changed this step" in response.content.decode()
    step.refresh_from_db()
    assert step.what == "Supervisor's step"


def test_deleting_a_step_asks_first(client_for, owner, person, goal, step):
    url = step_url("step_delete", person, goal, step)
    page = client_for(owner).get(url).content.decode()
    assert "Delete this step?" in page
    assert Step.objects.exists()
    client_for(owner).post(url)
    assert not Step.objects.exists()
