"""Recording and changing a result: one form, field errors the GOV.UK way, scores stored."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import AuditEvent
from outcomes.models import Result
from tests.outcomes.factories import make_result, ucla

TODAY = datetime.date.today


def new_url(person, code=None):
    url = reverse("outcomes:result_create", args=[person.public_id])
    return f"{url}?instrument={code}" if code else url


def form_data(**overrides):
    data = {
        "instrument": "ucla3",
        "completed_on": timezone.localdate().isoformat(),
        "timepoint": "baseline",
        "completed_how": "self",
        "item_companionship": "3",
        "item_left_out": "2",
        "item_isolated": "3",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_choosing_a_measure_lists_the_shipped_ones(client_for, owner, person):
    page = client_for(owner).get(new_url(person)).content.decode()
    assert "ONS4 personal well-being" in page and "UCLA 3-item loneliness scale" in page
    assert "?instrument=ucla3" in page


def test_the_form_shows_each_question_as_a_radio_group(client_for, owner, person):
    response = client_for(owner).get(new_url(person, "ucla3"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="radio" class="form-check-input"  name="item_') == 9
    assert "<legend" in html and "2. How often do you feel left out?" in html
    assert "Hardly ever" in html and "Some of the time" in html and "Often" in html
    assert 'name="submission_token"' in html


def test_recording_a_baseline_stores_the_score_with_its_version(client_for, owner, person):
    response = client_for(owner).post(new_url(person, "ucla3"), form_data())
    result = Result.objects.get(service_user=person)
    assert response.status_code == 302 and response["Location"] == result.get_absolute_url()
    assert result.total == 8 and result.complete and not result.prorated
    assert result.scores["scores"] == {"total": 8}
    assert result.answers == {"companionship": 3, "left_out": 2, "isolated": 3}
    assert result.scoring_version == result.instrument.current_version
    assert result.timepoint == "baseline" and result.completed_how == "self"
    event = AuditEvent.objects.get(service_user=person, action="create")
    assert event.object_type == "result" and "answers" in event.fields
    assert "3" not in "".join(event.fields)  # names only, never the answers


def test_a_double_submission_records_one_result(client_for, owner, person):
    client = client_for(owner)
    data = form_data(submission_token="6c5b1a9e-0c33-4a4e-9d1b-7c1f2e3d4a5b")
    first = client.post(new_url(person, "ucla3"), data)
    second = client.post(new_url(person, "ucla3"), data)
    assert first["Location"] == second["Location"]
    assert Result.objects.filter(service_user=person).count() == 1


def test_unanswered_questions_make_the_ucla_result_incomplete(client_for, owner, person):
    response = client_for(owner).post(
        new_url(person, "ucla3"), form_data(item_isolated=None), follow=True
    )
    result = Result.objects.get(service_user=person)
    assert result.total is None and not result.complete
    assert "Result saved as incomplete. 1 question not answered, so there is no score." in (
        response.content.decode()
    )
    assert "Incomplete: 1 question not answered" in response.content.decode()


def test_an_answer_outside_the_options_is_a_field_error_and_answers_are_kept(
    client_for, owner, person
):
    response = client_for(owner).post(new_url(person, "ucla3"), form_data(item_left_out="4"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>Error: ", html)
    assert "There is a problem" in html
    assert 'href="#id_item_left_out_0"' in html
    assert "Choose one of the answers to question 2, or leave it unanswered." in html
    # What was typed is kept.
    assert 'value="3"  id="id_item_companionship_2" checked' in html or re.search(
        r'name="item_companionship" value="3"[^>]*checked', html
    )
    assert not Result.objects.exists()


def test_a_date_in_the_future_is_a_field_error(client_for, owner, person):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(owner).post(
        new_url(person, "ucla3"), form_data(completed_on=tomorrow.isoformat())
    )
    assert response.context["form"].errors["completed_on"] == [
        "The date completed cannot be in the future."
    ]
    assert 'href="#id_completed_on"' in response.content.decode()


def test_a_follow_up_before_the_baseline_is_a_field_error(client_for, owner, person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=10)
    early = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    response = client_for(owner).post(
        new_url(person, "ucla3"), form_data(timepoint="follow_up", completed_on=early)
    )
    errors = response.context["form"].errors
    assert errors["completed_on"][0].startswith("A follow-up cannot be before the baseline, on ")
    assert Result.objects.filter(service_user=person).count() == 1


def test_a_second_baseline_is_a_field_error(client_for, owner, person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=10)
    response = client_for(owner).post(new_url(person, "ucla3"), form_data())
    assert "already has a baseline" in response.context["form"].errors["timepoint"][0]


def test_missing_date_timepoint_and_how_are_field_errors(client_for, owner, person):
    response = client_for(owner).post(
        new_url(person, "ucla3"),
        form_data(completed_on="31/02/2026", timepoint="bogus", completed_how=None),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"completed_on", "timepoint", "completed_how"}
    html = response.content.decode()
    for anchor in ("#id_completed_on", "#id_timepoint_0", "#id_completed_how_0"):
        assert f'href="{anchor}"' in html


def test_an_unknown_measure_shows_the_list_again(client_for, owner, person):
    response = client_for(owner).get(new_url(person, "not-a-measure"), follow=True)
    assert response.status_code == 200
    assert "That measure is not available" in response.content.decode()


def test_ons4_is_recorded_as_four_scores(client_for, owner, person):
    data = {
        "instrument": "ons4",
        "completed_on": timezone.localdate().isoformat(),
        "timepoint": "baseline",
        "completed_how": "read_aloud",
        "item_life_satisfaction": "4",
        "item_worthwhile": "6",
        "item_happiness": "9",
        "item_anxiety": "7",
    }
    response = client_for(owner).post(new_url(person, "ons4"), data, follow=True)
    result = Result.objects.get(service_user=person)
    assert result.total is None
    assert result.scores["scores"] == {
        "life_satisfaction": 4,
        "worthwhile": 6,
        "happiness": 9,
        "anxiety": 7,
    }
    html = response.content.decode()
    assert "never added up" in html
    assert "Total" not in html


def test_a_result_page_shows_answers_scores_and_version(client_for, owner, person):
    result = make_result(person, "ucla3", ucla(1, 2, 3), timepoint="baseline")
    html = client_for(owner).get(result.get_absolute_url()).content.decode()
    assert "How often do you feel isolated from others?" in html and "Often" in html
    assert "Version 1 of" in html
    assert 'data-testid="score-total"' in html


# Editing -------------------------------------------------------------------------------


def edit_url(result):
    return reverse(
        "outcomes:result_edit",
        kwargs={"public_id": result.service_user.public_id, "result_id": result.public_id},
    )


def test_editing_a_result_scores_it_again_with_its_own_version(client_for, owner, person, tmp_path):
    result = make_result(person, "ucla3", ucla(1, 1, 1), timepoint="baseline")
    # A new version of the instrument is loaded meanwhile.
    from outcomes.services import instrument_load

    changed = dict(result.scoring_version.definition, name="UCLA-3 (local version)")
    instrument_load(data=changed)
    data = form_data(version=result.version, item_companionship="3", completed_how="with_worker")
    response = client_for(owner).post(edit_url(result), data)
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.total == 8 and result.scoring_version.number == 1 and result.version == 2
    event = AuditEvent.objects.get(service_user=person, action="update")
    assert event.fields == ["answers"]


def test_a_stale_edit_shows_the_conflict_page_and_saves_nothing(client_for, owner, person):
    result = make_result(person, "ucla3", ucla(1, 1, 1), timepoint="baseline")
    Result.objects.filter(pk=result.pk).update(version=2, answers={**result.answers, "isolated": 2})
    response = client_for(owner).post(
        edit_url(result), form_data(version=1, item_companionship="3", item_isolated="1")
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this result" in html
    assert "differs" in html
    assert 'name="version" value="2"' in html
    result.refresh_from_db()
    assert result.answers["companionship"] == 1
    assert AuditEvent.objects.filter(service_user=person, action="view").exists()


def test_an_edit_form_with_a_garbled_version_is_a_conflict(client_for, owner, person):
    result = make_result(person, "ucla3", ucla(1, 1, 1), timepoint="baseline")
    response = client_for(owner).post(edit_url(result), form_data(version="abc"))
    assert response.status_code == 409


def test_only_the_supervisor_deletes_a_result(client_for, owner, supervisor, person):
    result = make_result(person, "ucla3", ucla(1, 1, 1), timepoint="baseline")
    url = reverse(
        "outcomes:result_delete",
        kwargs={"public_id": person.public_id, "result_id": result.public_id},
    )
    assert client_for(owner).post(url).status_code == 403
    assert "Delete" not in client_for(owner).get(result.get_absolute_url()).content.decode()
    assert client_for(supervisor).post(url).status_code == 302
    assert not Result.objects.filter(pk=result.pk).exists()
    assert AuditEvent.objects.filter(service_user=person, action="delete").exists()


@pytest.mark.parametrize("code", ["ucla3", "ons4"])
def test_the_form_is_shown_for_each_shipped_measure(client_for, owner, person, code):
    assert client_for(owner).get(new_url(person, code)).status_code == 200
