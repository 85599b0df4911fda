"""Adding and changing goals: GAS set-up, bad input, conflicts, double submission."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import AuditEvent
from goals.models import Goal, GoalStatus
from tests.goals.factories import GoalFactory, StepFactory
from toolkit.models import Organization, Service


def goal_data(**overrides):
    data = {
        "title": "I'd like to make a friend at the allotment",
        "domain": "meeting_people",
        "why_it_matters": "I feel lonely at weekends",
        "set_on": timezone.localdate().isoformat(),
        "target_date": "",
        "level_minus_2": "Not going to the allotment",
        "level_minus_1": "Going once a month",
        "level_0": "Chatting to one person there each visit",
        "level_plus_1": "Swapped numbers with someone",
        "level_plus_2": "Met someone from there outside the allotment",
        "baseline_level": "-1",
        "importance": "3",
        "difficulty": "2",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def edit_data(goal, **overrides):
    data = goal_data(
        title=goal.title,
        set_on=goal.set_on.isoformat(),
        status=goal.status,
        version=str(goal.version),
    )
    data.pop("submission_token")
    data.update(overrides)
    return data


@pytest.fixture
def service(db):
    org = Organization.objects.create(name="Allotment Society")
    return Service.objects.create(organization=org, name="Community allotment")


def test_worker_adds_a_goal_with_five_levels_and_a_weight(client_for, owner, person, service):
    url = reverse("goals:create", args=[person.public_id])
    response = client_for(owner).post(url, goal_data(opportunities=[str(service.public_id)]))
    goal = Goal.objects.get(service_user=person)
    assert response.status_code == 302
    assert response["Location"] == goal.get_absolute_url()
    assert goal.weight == 6
    assert goal.baseline_level == -1
    assert goal.status == GoalStatus.ACTIVE
    assert goal.created_by == owner
    assert list(goal.opportunities.all()) == [service]
    event = AuditEvent.objects.get(action="create", object_type="goal")
    assert "title" in event.fields and "I'd like" not in str(event.fields)


def test_a_goal_without_weights_counts_as_weight_one(client_for, owner, person):
    client_for(owner).post(
        reverse("goals:create", args=[person.public_id]), goal_data(importance="", difficulty="")
    )
    goal = Goal.objects.get()
    assert (goal.importance, goal.difficulty, goal.weight) == (None, None, 1)


def test_the_expected_outcome_is_required_and_answers_are_kept(client_for, owner, person):
    response = client_for(owner).post(
        reverse("goals:create", args=[person.public_id]), goal_data(level_0="  ")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Describe the expected outcome (level 0)" in page
    assert 'href="#id_level_0"' in page
    assert "Swapped numbers with someone" in page
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("importance", "4"), ("difficulty", "-1"), ("importance", "x")]
)
def test_importance_and_difficulty_must_be_0_to_3(client_for, owner, person, field, value):
    response = client_for(owner).post(
        reverse("goals:create", args=[person.public_id]), goal_data(**{field: value})
    )
    assert response.status_code == 200
    assert f"{field.capitalize()} must be a number from 0 to 3." in response.content.decode()
    assert not Goal.objects.exists()


def test_baseline_outside_the_scale_is_a_field_error(client_for, owner, person):
    response = client_for(owner).post(
        reverse("goals:create", args=[person.public_id]), goal_data(baseline_level="3")
    )
    assert "Choose a baseline level from −2 to +2." in response.content.decode()


def test_unknown_opportunity_is_a_field_error(client_for, owner, person):
    response = client_for(owner).post(
        reverse("goals:create", args=[person.public_id]),
        goal_data(opportunities=[str(uuid.uuid4())]),
    )
    assert response.status_code == 200
    assert "Choose opportunities from the directory list." in response.content.decode()


def test_a_future_agreed_date_and_an_early_target_are_refused(client_for, owner, person):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(owner).post(
        reverse("goals:create", args=[person.public_id]), goal_data(set_on=tomorrow.isoformat())
    )
    assert "cannot be in the future" in response.content.decode()
    response = client_for(owner).post(
        reverse("goals:create", args=[person.public_id]),
        goal_data(target_date=(timezone.localdate() - datetime.timedelta(days=3)).isoformat()),
    )
    assert "The target date must be on or after the date agreed." in response.content.decode()


def test_double_submitting_the_add_form_makes_one_goal(client_for, owner, person):
    client = client_for(owner)
    data = goal_data()
    first = client.post(reverse("goals:create", args=[person.public_id]), data)
    second = client.post(reverse("goals:create", args=[person.public_id]), data)
    assert Goal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_worker_changes_a_goal_and_its_version_goes_up(client_for, owner, person, goal):
    response = client_for(owner).post(
        reverse("goals:edit", args=[person.public_id, goal.public_id]),
        edit_data(goal, title="I want to go walking every week"),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "I want to go walking every week"
    assert goal.version == 2
    event = AuditEvent.objects.get(action="update", object_type="goal")
    assert "title" in event.fields


def test_a_stale_edit_shows_a_conflict_and_overwrites_nothing(
    client_for, owner, supervisor, person, goal
):
    url = reverse("goals:edit", args=[person.public_id, goal.public_id])
    stale = edit_data(goal, title="Owner's wording")
    client_for(supervisor).post(url, edit_data(goal, title="Supervisor's wording"))
    response = client_for(owner).post(url, stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this goal" in page
    assert "Supervisor&#x27;s wording" in page  # what is saved now
    assert "Owner&#x27;s wording" in page  # what they typed, still in the form
    goal.refresh_from_db()
    assert goal.title == "Supervisor's wording"
    # Saving again from the conflict page is a deliberate choice and succeeds.
    again = client_for(owner).post(url, {**stale, "version": str(goal.version)})
    assert again.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Owner's wording"


def test_stopping_a_goal_records_when_it_ended(client_for, owner, person, goal):
    client_for(owner).post(
        reverse("goals:edit", args=[person.public_id, goal.public_id]),
        edit_data(goal, status="stopped"),
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.STOPPED
    assert goal.ended_on == timezone.localdate()


def test_a_replaced_goal_links_to_its_replacement(client_for, owner, person, goal):
    newer = GoalFactory(service_user=person, title="Join the Thursday café")
    url = reverse("goals:edit", args=[person.public_id, goal.public_id])
    response = client_for(owner).post(url, edit_data(goal, status="replaced"))
    assert "Choose the goal that replaced this one." in response.content.decode()
    client_for(owner).post(
        url, edit_data(goal, status="replaced", replaced_by=str(newer.public_id))
    )
    goal.refresh_from_db()
    assert goal.replaced_by == newer
    page = client_for(owner).get(goal.get_absolute_url()).content.decode()
    assert "Replaced by another goal" in page and newer.get_absolute_url() in page
    listed = client_for(owner).get(reverse("goals:list", args=[person.public_id]))
    assert (
        f'href="{newer.get_absolute_url()}">Join the Thursday café</a>' in listed.content.decode()
    )


def test_another_persons_goal_cannot_be_the_replacement(
    client_for, owner, person, goal, others_goal
):
    response = client_for(owner).post(
        reverse("goals:edit", args=[person.public_id, goal.public_id]),
        edit_data(goal, status="replaced", replaced_by=str(others_goal.public_id)),
    )
    assert response.status_code == 200
    assert "Choose one of this person&#x27;s other goals." in response.content.decode()
    goal.refresh_from_db()
    assert goal.replaced_by is None


def test_moving_the_agreed_date_after_a_step_is_due_is_refused(client_for, owner, person, goal):
    StepFactory(goal=goal, due_on=goal.set_on + datetime.timedelta(days=1), what="Ring Sam")
    response = client_for(owner).post(
        reverse("goals:edit", args=[person.public_id, goal.public_id]),
        edit_data(goal, set_on=(goal.set_on + datetime.timedelta(days=5)).isoformat()),
    )
    assert response.status_code == 200
    assert "Ring Sam" in response.content.decode()


def test_a_goal_past_its_target_date_is_marked_on_the_list_and_its_page(client_for, owner, person):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = GoalFactory(service_user=person, title="Join a class", target_date=yesterday)
    GoalFactory(
        service_user=person,
        title="Visit the library",
        target_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    client = client_for(owner)
    listing = client.get(reverse("goals:list", args=[person.public_id])).content.decode()
    assert listing.count("Past its target date") == 1
    assert listing.index("Join a class") < listing.index("Past its target date")
    assert listing.index("Past its target date") < listing.index("Visit the library")
    detail = client.get(late.get_absolute_url()).content.decode()
    assert "Past its target date" in detail


def test_an_achieved_goal_past_its_target_date_is_not_marked(client_for, owner, person):
    GoalFactory(
        service_user=person,
        target_date=timezone.localdate() - datetime.timedelta(days=1),
        status=GoalStatus.ACHIEVED,
        ended_on=timezone.localdate(),
    )
    listing = client_for(owner).get(reverse("goals:list", args=[person.public_id]))
    assert "Past its target date" not in listing.content.decode()
