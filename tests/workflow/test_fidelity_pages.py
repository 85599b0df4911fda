"""Fidelity on the journey, the board and the dashboard; self-assessments; the
agency report: personas on every URL, bad input, and figures checked against
plain ORM counts."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Agency
from caseload.models import AuditEvent, ServiceUser
from caseload.stages import Stage
from community.models import CommunityLink
from goals.models import StepWho
from networks.services import snapshot_take
from tests.accounts.factories import AgencyFactory, TeamFactory, make_supervisor, make_worker
from tests.caseload.factories import ServiceUserFactory
from tests.community.factories import CommunityLinkFactory
from tests.goals.factories import GoalFactory, StepFactory
from tests.networks.factories import NetworkMemberFactory
from tests.toolkit.factories import ServiceFactory
from workflow.models import FidelityQuestionnaire, FidelitySelfAssessment, Respondent
from workflow.self_assessment import EXAMPLE_PATH, QuestionnaireError, parse, read_file
from workflow.self_assessments import questionnaire_load, questionnaire_load_file


@pytest.fixture
def questionnaire(db):
    questionnaire, _status = questionnaire_load_file(EXAMPLE_PATH)
    return questionnaire


def _connecting_person(team, worker, *, tried=True, stage=Stage.REVIEW):
    """A person past connecting: baseline and goals in place, and an opportunity
    tried (when ``tried``), but no steps for both partners."""
    person = ServiceUserFactory(team=team, allocated_worker=worker, stage=stage)
    NetworkMemberFactory(service_user=person)
    snapshot_take(service_user=person, by=worker, label="Baseline", is_baseline=True)
    goal = GoalFactory(service_user=person)
    if tried:
        goal.opportunities.add(ServiceFactory(related=False))
    StepFactory(goal=goal, who=StepWho.PERSON)
    return person


# --- journey and board --------------------------------------------------------------


def test_journey_lists_the_components_with_evidence_links(client_for, owner, team_a):
    person = _connecting_person(team_a, owner)
    html = client_for(owner).get(f"/people/{person.public_id}/journey/").content.decode()
    assert 'id="fidelity"' in html
    assert "3 of 4</strong> components due at this stage are in place (75%)" in html
    assert f"/people/{person.public_id}/network/snapshots/" in html  # the baseline's page
    assert "A goal involving an opportunity" in html
    assert "Add goal steps" in html  # both partners: missing, with where to add it
    assert "Not due yet" in html


def test_board_cards_show_fidelity_without_per_card_queries(
    client_for, owner, team_a, django_assert_max_num_queries
):
    _connecting_person(team_a, owner, tried=False)
    client = client_for(owner)
    with django_assert_max_num_queries(22) as small:
        html = client.get("/board/").content.decode()
    assert "Fidelity: 2 of 4 (50%)" in html and "⚑ Low or moderate" in html
    for _ in range(6):
        _connecting_person(team_a, owner)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/board/")


# --- dashboard ------------------------------------------------------------------------


def test_dashboard_shows_fidelity_bands_per_worker_with_small_counts_hidden(
    client_for, supervisor, owner, colleague, team_a
):
    for _ in range(5):
        _connecting_person(team_a, owner, tried=False)  # 2 of 4: low
    for _ in range(2):
        _connecting_person(team_a, colleague)  # 3 of 4: high
    html = client_for(supervisor).get("/dashboard/").content.decode()
    section = html[html.index('id="fidelity-heading"') :]
    table = section[: section.index("</table>")]
    owner_row = table[table.index(str(owner)) :].split("</tr>")[0]
    assert '<td class="text-end" data-label="Low or moderate fidelity">5</td>' in owner_row
    assert "fewer than 5" in owner_row  # nobody high
    colleague_row = table[table.index(str(colleague)) :].split("</tr>")[0]
    assert "5" not in colleague_row.replace("fewer than 5", "")
    team_row = table[table.index("Whole team") :].split("</tr>")[0]
    assert '<td class="text-end" data-label="People with components due">7</td>' in team_row


# --- self-assessments -----------------------------------------------------------------


def test_self_assessment_pages_follow_the_access_rules(assert_person_access, person, questionnaire):
    assert_person_access(f"/people/{person.public_id}/fidelity/")
    assert_person_access(f"/people/{person.public_id}/fidelity/new/")


def _answers(value):
    return {f"item_{item.id}": value for item in questionnaire_items()}


def questionnaire_items():
    return parse(read_file(EXAMPLE_PATH)[0]).items


def test_worker_and_person_answers_are_compared_with_each_other_and_the_records(
    client_for, owner, supervisor, team_a, questionnaire
):
    person = _connecting_person(team_a, owner)
    client = client_for(owner)
    url = f"/people/{person.public_id}/fidelity/new/"
    worker = {"respondent": "worker", "completed_on": timezone.localdate(), **_answers(2)}
    response = client.post(url, worker)
    assert response.status_code == 302
    own = {"respondent": "person", "completed_on": timezone.localdate(), **_answers(2)}
    own["item_both_do_tasks"] = 0
    client.post(url, own)
    assert FidelitySelfAssessment.objects.filter(service_user=person).count() == 2
    assert AuditEvent.objects.filter(object_type="fidelityselfassessment").count() == 2
    html = client_for(supervisor).get(f"/people/{person.public_id}/fidelity/").content.decode()
    assert "agree on 4 of 5 questions both answered, and differ on 1" in html
    # Both partners' tasks: the records say missing, so the worker's "Yes" differs.
    assert "Differs from the worker’s report" in html
    team = client_for(supervisor).get("/dashboard/fidelity/").content.decode()
    assert person.preferred_name in team and "4 agree, 1 differ" in team
    # Four items name a component: the worker's "Yes" to both partners differs from
    # the records; the person's "Not yet" matches them.
    worker_row = team[team.index('id="by-worker"') :].split("</tr>")[1]
    assert "3 of 4" in worker_row and "4 of 4" in worker_row


def test_an_answer_outside_the_options_is_a_field_error(client_for, owner, person, questionnaire):
    url = f"/people/{person.public_id}/fidelity/new/"
    data = {"respondent": "worker", "completed_on": timezone.localdate(), **_answers(1)}
    data["item_mapped"] = 7
    response = client_for(owner).post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert 'href="#id_item_mapped_0"' in html  # the summary links to the field
    assert "Choose one of the answers to question 1" in html
    assert FidelitySelfAssessment.objects.count() == 0


def test_the_same_form_sent_twice_records_one(client_for, owner, person, questionnaire):
    client = client_for(owner)
    url = f"/people/{person.public_id}/fidelity/new/"
    page = client.get(url).content.decode()
    token = page.split('name="submission_token" value="')[1].split('"')[0]
    data = {"respondent": "worker", "completed_on": timezone.localdate(), **_answers(1)}
    data["submission_token"] = token
    client.post(url, data)
    client.post(url, data)
    assert FidelitySelfAssessment.objects.count() == 1


def test_no_questionnaire_loaded_says_what_to_do(client_for, owner, person):
    html = client_for(owner).get(f"/people/{person.public_id}/fidelity/new/").content.decode()
    assert "load_fidelity_questionnaire" in html


def test_the_load_command_refuses_a_bad_file_as_a_whole(tmp_path, db):
    bad = tmp_path / "bad.json"
    data = read_file(EXAMPLE_PATH)[0]
    data["items"][1]["id"] = data["items"][0]["id"]
    data["items"][2]["in_place_from"] = 9
    import json

    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError) as error:
        call_command("load_fidelity_questionnaire", str(bad))
    assert "items[1].id" in str(error.value) and "items[2].in_place_from" in str(error.value)
    assert not FidelityQuestionnaire.objects.exists()
    call_command("load_fidelity_questionnaire", "--example", stdout=io.StringIO())
    questionnaire = FidelityQuestionnaire.objects.get()
    assert "FICTIONAL" in questionnaire.parsed.about


def test_a_changed_definition_becomes_the_next_version(questionnaire):
    data = read_file(EXAMPLE_PATH)[0]
    assert questionnaire_load(data=data)[1] == "unchanged"
    data["name"] = "Example fidelity check, revised (fictional)"
    loaded, status = questionnaire_load(data=data)
    assert (status, loaded.version) == ("new version", 2)


def test_a_schema_problem_names_where(db):
    data = read_file(EXAMPLE_PATH)[0]
    data["items"][0]["options"][0]["value"] = "two"
    with pytest.raises(QuestionnaireError) as error:
        parse(data)
    assert error.value.problems[0][0] == "items[0].options[0].value"


def test_self_assessments_are_in_the_subject_access_copy_and_erased(owner, person, questionnaire):
    from caseload import persondata

    FidelitySelfAssessment.objects.create(
        service_user=person,
        questionnaire=questionnaire,
        respondent=Respondent.PERSON,
        answers={"mapped": 2},
        recorded_by=owner,
    )
    exported = persondata.export_person(person)["fidelity_self_assessments"]["data"]
    assert exported[0]["answers"][0] == {
        "question": "We looked together at who and what is in my life.",
        "answer": "Yes",
    }
    handler = next(h for h in persondata.handlers() if h.name == "fidelity_self_assessments")
    handler.erase(person)
    assert not FidelitySelfAssessment.objects.exists()


@pytest.mark.parametrize("name", ["owner", "colleague", "other_worker", "curator", "admin"])
def test_only_supervisors_see_the_team_comparison(client_for, personas, name):
    assert client_for(personas[name]).get("/dashboard/fidelity/").status_code == 403


def test_another_teams_comparison_is_404(client_for, supervisor, team_b):
    response = client_for(supervisor).get(f"/dashboard/fidelity/?team={team_b.public_id}")
    assert response.status_code == 404


def test_the_team_comparison_runs_a_fixed_number_of_queries(
    client_for, supervisor, owner, team_a, questionnaire, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            someone = _connecting_person(team_a, owner)
            for respondent in Respondent.values:
                FidelitySelfAssessment.objects.create(
                    service_user=someone,
                    questionnaire=questionnaire,
                    respondent=respondent,
                    answers={"mapped": 2},
                )

    add(2)
    client = client_for(supervisor)
    with django_assert_max_num_queries(30) as small:
        client.get("/dashboard/fidelity/")
    add(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/dashboard/fidelity/")


# --- the agency report ------------------------------------------------------------------


@pytest.fixture
def two_agencies(team_a, owner):
    """Team A (an NHS agency) with 6 people, 5 of whom tried an opportunity; a
    voluntary agency's team with 2 people and 3 community links."""
    for _ in range(5):
        _connecting_person(team_a, owner)
    _connecting_person(team_a, owner, tried=False)
    CommunityLinkFactory(team=team_a, kind="referral_route", last_contact_on=timezone.localdate())
    voluntary = AgencyFactory(name="Northfield Mind", sector=Agency.Sector.VOLUNTARY)
    team_v = TeamFactory(name="Mind wellbeing team", agency=voluntary)
    worker = make_worker(team_v, username="vworker")
    for _ in range(2):
        _connecting_person(team_v, worker)
    for kind in ("joint_activity", "joint_activity", "volunteering"):
        CommunityLinkFactory(team=team_v, kind=kind)
    return team_a.agency, voluntary


def _orm_counts(agency):
    """An independent count in the database: people counted, and those who tried
    an opportunity (here: a goal linked to one), and links."""
    people = ServiceUser.objects.filter(team__agency=agency).exclude(status="closed")
    tried = people.filter(goals__opportunities__isnull=False).distinct().count()
    links = CommunityLink.objects.filter(team__agency=agency)
    return people.count(), tried, links.count()


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_agency_report_matches_an_independent_count(client_for, admin_user, two_agencies):
    nhs, voluntary = two_agencies
    response = client_for(admin_user).get("/reports/agencies/export.csv")
    rows = {(row[0], row[1]): row for row in _csv_rows(response)[3:]}
    people, tried, links = _orm_counts(nhs)
    assert (people, tried, links) == (6, 5, 1)
    row = rows[("agency", nhs.name)]
    assert row[3] == str(people) and row[7] == str(tried) and row[8] == str(links)
    # 5 people with 3 of 4 (high), 1 with 2 of 4: the single low one is hidden.
    assert row[5] == "5" and row[6] == "fewer than 5"
    people, tried, links = _orm_counts(voluntary)
    row = rows[("agency", voluntary.name)]
    assert row[3] == "fewer than 5" and row[7] == "fewer than 5" and row[8] == str(links)
    recent = CommunityLink.objects.filter(
        team__agency=voluntary, last_contact_on__isnull=False
    ).count()
    assert row[9] == str(recent)
    assert rows[("sector group", "Third sector")][8] == "3"
    html = client_for(admin_user).get("/reports/agencies/").content.decode()
    assert "Joint activity: 2" in html


def test_a_supervisor_sees_only_their_teams_agencies(client_for, supervisor, two_agencies):
    nhs, voluntary = two_agencies
    html = client_for(supervisor).get("/reports/agencies/").content.decode()
    assert nhs.name in html and voluntary.name not in html
    assert client_for(supervisor).get(f"/reports/agencies/{nhs.public_id}/").status_code == 200
    response = client_for(supervisor).get(f"/reports/agencies/{voluntary.public_id}/")
    assert response.status_code == 404
    rows = _csv_rows(client_for(supervisor).get("/reports/agencies/export.csv"))
    assert voluntary.name not in str(rows)


def test_an_admin_sees_any_agency_page(client_for, admin_user, two_agencies):
    _nhs, voluntary = two_agencies
    html = client_for(admin_user).get(f"/reports/agencies/{voluntary.public_id}/").content.decode()
    assert "Mind wellbeing team" in html


@pytest.mark.parametrize("name", ["owner", "colleague", "other_worker", "curator"])
@pytest.mark.parametrize("url", ["/reports/agencies/", "/reports/agencies/export.csv"])
def test_workers_and_curators_cannot_see_the_agency_report(client_for, personas, name, url):
    assert client_for(personas[name]).get(url).status_code == 403


def test_an_unknown_agency_is_404_and_anonymous_signs_in(client_for, admin_user, team_b):
    import uuid

    assert client_for(admin_user).get(f"/reports/agencies/{uuid.uuid4()}/").status_code == 404
    response = client_for(None).get("/reports/agencies/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_agency_report_runs_a_fixed_number_of_queries(
    client_for, admin_user, two_agencies, django_assert_max_num_queries
):
    client = client_for(admin_user)
    with django_assert_max_num_queries(30) as small:
        client.get("/reports/agencies/")
    agency = AgencyFactory(name="Northfield Homes", sector=Agency.Sector.HOUSING_ASSOCIATION)
    for n in range(3):
        team = TeamFactory(name=f"Homes team {n}", agency=agency)
        make_supervisor(team, username=f"hsup{n}")
        worker = make_worker(team, username=f"hworker{n}")
        for _ in range(3):
            _connecting_person(team, worker)
        CommunityLinkFactory(team=team)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/reports/agencies/")


# --- demo data ----------------------------------------------------------------------------


def test_seed_demo_gives_varied_fidelity_and_example_self_assessments(db, settings, capsys):
    from workflow.fidelity import HIGH, LOW, fidelity_for

    settings.DEBUG = True
    call_command("seed_demo")
    found = fidelity_for(ServiceUser.objects.filter(reference__startswith="DEMO-"))
    bands = {fidelity.band for fidelity in found.values()}
    assert {HIGH, LOW, None} <= bands
    assert FidelitySelfAssessment.objects.filter(respondent="person").count() == 2
    capsys.readouterr()
    call_command("seed_demo")
    assert "Fidelity: 0 records varied" in capsys.readouterr().out
    assert FidelitySelfAssessment.objects.count() == 4


def test_an_administrator_retires_a_questionnaire_in_the_admin(
    client_for, admin_user, owner, person, questionnaire
):
    url = f"/admin/workflow/fidelityquestionnaire/{questionnaire.pk}/change/"
    client = client_for(admin_user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"active": ""})
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert not questionnaire.active
    html = client_for(owner).get(f"/people/{person.public_id}/fidelity/new/").content.decode()
    assert "No questionnaire is loaded yet" in html


def test_the_dashboard_csv_holds_the_fidelity_bands(client_for, supervisor, owner, team_a):
    for _ in range(5):
        _connecting_person(team_a, owner)
    rows = _csv_rows(client_for(supervisor).get("/dashboard/export.csv"))
    header = next(i for i, row in enumerate(rows) if row and row[0].startswith("practice fidelity"))
    assert rows[header][0] == "practice fidelity (high from 75%)"
    owner_row = next(row for row in rows[header:] if row and row[0] == str(owner))
    assert owner_row[1:] == ["5", "5", "fewer than 5", "fewer than 5"]
    assert any(row and row[0] == "whole team" for row in rows[header:])


def test_the_persons_self_assessment_page_runs_a_fixed_number_of_queries(
    client_for, owner, person, questionnaire, django_assert_max_num_queries
):
    def add(n):
        for number in range(n):
            FidelitySelfAssessment.objects.create(
                service_user=person,
                questionnaire=questionnaire,
                respondent=Respondent.values[number % 2],
                answers={"mapped": number % 3},
                recorded_by=owner,
            )

    add(2)
    client = client_for(owner)
    url = f"/people/{person.public_id}/fidelity/"
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    add(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('<th scope="row">') >= 14 + 5


def test_journey_of_a_case_closed_long_ago_says_it_is_not_counted(
    client_for, supervisor, team_a, owner
):
    import datetime

    person = ServiceUserFactory(
        team=team_a,
        allocated_worker=owner,
        stage=Stage.CLOSED,
        status="closed",
        closed_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    html = client_for(supervisor).get(f"/people/{person.public_id}/journey/").content.decode()
    assert "Not counted: the case closed more than" in html


def test_journey_before_anything_is_due_says_so(client_for, owner, person):
    html = client_for(owner).get(f"/people/{person.public_id}/journey/").content.decode()
    assert "Nothing is due yet at this stage" in html
