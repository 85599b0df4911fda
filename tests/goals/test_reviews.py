"""Reviews: every active goal rated at once, the T-score stored and charted."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import GoalStatus, Rating, Review
from tests.goals.factories import GoalFactory, make_review


def review_data(goals, level="1", **overrides):
    data = {
        "reviewed_on": timezone.localdate().isoformat(),
        "note": "",
        "submission_token": str(uuid.uuid4()),
    }
    for goal in goals:
        data[f"level_{goal.public_id}"] = level
        data[f"note_{goal.public_id}"] = "Went twice this month"
    data.update(overrides)
    return data


@pytest.fixture
def three_goals(person):
    return [GoalFactory(service_user=person) for _ in range(3)]


def test_reviewing_three_goals_at_plus_one_stores_a_t_score_of_63_69(
    client_for, owner, person, three_goals
):
    url = reverse("goals:review_create", args=[person.public_id])
    response = client_for(owner).post(url, review_data(three_goals))
    review = Review.objects.get()
    assert response["Location"] == review.get_absolute_url()
    assert round(review.t_score, 2) == 63.69
    assert review.reviewed_by == owner
    assert review.ratings.count() == 3
    page = client_for(owner).get(review.get_absolute_url()).content.decode()
    assert "63.69" in page


def test_weights_are_kept_with_each_rating(client_for, owner, person):
    heavy = GoalFactory(service_user=person, importance=3, difficulty=3)
    light = GoalFactory(service_user=person, importance=1, difficulty=1)
    data = review_data([heavy, light], **{f"level_{light.public_id}": "-2"})
    client_for(owner).post(reverse("goals:review_create", args=[person.public_id]), data)
    assert {r.weight for r in Rating.objects.all()} == {9, 1}
    from goals.gas import t_score

    assert Review.objects.get().t_score == pytest.approx(t_score([1, -2], [9, 1]))


def test_a_rating_outside_minus_two_to_plus_two_is_refused(client_for, owner, person, goal):
    url = reverse("goals:review_create", args=[person.public_id])
    response = client_for(owner).post(url, review_data([goal], level="3"))
    assert response.status_code == 200
    assert "from −2 to +2" in response.content.decode()
    assert "Went twice this month" in response.content.decode()
    assert not Review.objects.exists()


def test_every_active_goal_must_be_rated(client_for, owner, person, three_goals):
    data = review_data(three_goals)
    del data[f"level_{three_goals[1].public_id}"]
    response = client_for(owner).post(reverse("goals:review_create", args=[person.public_id]), data)
    assert response.status_code == 200
    assert "Choose the level reached" in response.content.decode()
    assert not Review.objects.exists()


def test_rating_a_goal_that_is_not_active_is_refused(client_for, owner, person, goal):
    stopped = GoalFactory(service_user=person, status=GoalStatus.STOPPED, title="Old goal")
    data = review_data([goal, stopped])
    response = client_for(owner).post(reverse("goals:review_create", args=[person.public_id]), data)
    assert response.status_code == 200
    assert "“Old goal” is stopped, not active, so it cannot be rated." in response.content.decode()
    assert not Review.objects.exists()


def test_rating_another_persons_goal_is_refused(client_for, owner, person, goal, others_goal):
    data = review_data([goal, others_goal])
    response = client_for(owner).post(reverse("goals:review_create", args=[person.public_id]), data)
    assert response.status_code == 200
    assert "not this person" in response.content.decode()
    assert not Review.objects.exists()


def test_a_goal_stopped_while_the_form_was_open_is_not_rated(client_for, owner, person, goal):
    from django.core.exceptions import ValidationError

    from goals import services

    goal.status = GoalStatus.ACHIEVED
    goal.save()
    with pytest.raises(ValidationError):
        services.review_create(
            service_user=person, by=owner, reviewed_at=timezone.now(), ratings={goal: (1, "")}
        )


def test_double_submitting_a_review_makes_one(client_for, owner, person, goal):
    client = client_for(owner)
    data = review_data([goal])
    url = reverse("goals:review_create", args=[person.public_id])
    client.post(url, data)
    client.post(url, data)
    assert Review.objects.count() == 1


def test_a_review_date_in_the_future_is_refused(client_for, owner, person, goal):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(owner).post(
        reverse("goals:review_create", args=[person.public_id]),
        review_data([goal], reviewed_on=tomorrow),
    )
    assert "The review date cannot be in the future." in response.content.decode()


def test_no_active_goals_means_nothing_to_review(client_for, owner, person):
    response = client_for(owner).get(reverse("goals:review_create", args=[person.public_id]))
    assert "There are no active goals to review." in response.content.decode()
    response = client_for(owner).post(
        reverse("goals:review_create", args=[person.public_id]), review_data([])
    )
    assert response.status_code == 200
    assert not Review.objects.exists()


def test_progress_page_charts_the_t_score_with_a_table(client_for, owner, person, three_goals):
    make_review(person, dict.fromkeys(three_goals, -1), days_ago=60)
    make_review(person, dict.fromkeys(three_goals, 1), days_ago=1)
    page = client_for(owner).get(reverse("goals:reviews", args=[person.public_id])).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "36.31" in page and "63.69" in page
    assert "<caption>T-score and the level of each goal at the baseline and at every review" in page


def test_progress_charts_start_from_the_baseline_level(client_for, owner, person, three_goals):
    for goal in three_goals:
        goal.baseline_level = -2
        goal.save()
    make_review(person, dict.fromkeys(three_goals, 0), days_ago=1)
    page = client_for(owner).get(reverse("goals:reviews", args=[person.public_id])).content.decode()
    # Three equal goals all at −2 score 22.61 at the baseline.
    assert "baseline 22.61" in page
    assert '<th scope="row" class="fw-normal">Baseline' in page
    assert ">−2</td>" in page


def test_progress_page_explains_a_fall_due_to_a_new_goal(client_for, owner, person, three_goals):
    first, second, third = three_goals
    make_review(person, {first: 1, second: 1}, days_ago=60)
    make_review(person, {first: 1, second: 1, third: -1}, days_ago=1)
    page = client_for(owner).get(reverse("goals:reviews", args=[person.public_id])).content.decode()
    assert "data-new-goal-note" in page
    assert "so the T-score can fall then even though no goal got worse" in page
    assert f"* first rating of {third.title}" in page


def test_progress_page_has_no_new_goal_note_when_the_same_goals_are_rated(
    client_for, owner, person, three_goals
):
    make_review(person, dict.fromkeys(three_goals, -1), days_ago=60)
    make_review(person, dict.fromkeys(three_goals, 0), days_ago=1)
    page = client_for(owner).get(reverse("goals:reviews", args=[person.public_id])).content.decode()
    assert "data-new-goal-note" not in page


def test_progress_page_without_reviews_says_what_to_do(client_for, owner, person):
    page = client_for(owner).get(reverse("goals:reviews", args=[person.public_id])).content.decode()
    assert "No reviews yet" in page


def test_goal_page_shows_the_level_now_and_last_rating(client_for, owner, person, goal):
    make_review(person, {goal: 1}, days_ago=3)
    page = client_for(owner).get(reverse("goals:list", args=[person.public_id])).content.decode()
    assert "Somewhat more than expected" in page
    assert goal.level_plus_1 in page


def test_a_missing_rating_links_from_the_error_summary_to_its_radios(
    client_for, owner, person, goal
):
    data = review_data([goal])
    del data[f"level_{goal.public_id}"]
    page = (
        client_for(owner)
        .post(reverse("goals:review_create", args=[person.public_id]), data)
        .content.decode()
    )
    anchor = f"id_level_{goal.public_id}_0"
    assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
