import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from caseload.services import service_user_change_stage
from tests.accounts.factories import TeamFactory, make_supervisor, make_worker
from tests.caseload.factories import ServiceUserFactory

TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


# --- the worker's board -------------------------------------------------------------


def test_board_shows_my_people_grouped_by_stage(client, owner, colleague, person, team_a):
    ServiceUserFactory(team=team_a, allocated_worker=colleague, preferred_name="Quennell")
    co_worked = ServiceUserFactory(
        team=team_a, allocated_worker=colleague, preferred_name="Rosa", stage="plan"
    )
    co_worked.co_workers.add(owner)
    client.force_login(owner)
    html = client.get("/board/").content.decode()
    assert "Pat" in html and "Rosa" in html
    assert "Quennell" not in html
    assert html.index("Getting to know each other") < html.index("Pat")
    assert html.index("Planning") < html.index("Rosa")


def test_board_flags_people_without_recent_contact_with_a_link_to_clear_it(client, owner, team_a):
    ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Samwise", last_contact_on=days_ago(40)
    )
    ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Xanthe", last_contact_on=days_ago(3)
    )
    client.force_login(owner)
    html = client.get("/board/?flag=no_contact").content.decode()
    assert "No contact for 28+ days" in html
    assert "Samwise" in html and "Xanthe" not in html


def test_board_flags_missing_baseline_after_exploring_connections(client, owner, team_a):
    ServiceUserFactory(
        team=team_a,
        allocated_worker=owner,
        preferred_name="Uma",
        stage="plan",
        last_contact_on=days_ago(1),
    )
    client.force_login(owner)
    html = client.get("/board/?flag=no_baseline").content.decode()
    assert "Uma" in html
    assert "No baseline network map" in html


def test_a_long_column_shows_its_first_cards_and_links_to_the_rest(client, owner, team_a):
    names = [f"Person {n:02d}" for n in range(14)]
    for name in names:
        ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name=name, stage="plan")
    client.force_login(owner)
    html = client.get("/board/").content.decode()
    shown = [name for name in names if name in html]
    assert shown == names[:12]
    assert "Show all 14 at “Planning”" in html
    assert 'href="?stage=plan"' in html
    column = client.get("/board/?stage=plan").content.decode()
    assert all(name in column for name in names)
    assert "Getting to know each other" not in column
    assert "Back to the whole board" in column


def test_empty_board_says_what_happens_next(client, owner):
    client.force_login(owner)
    assert "You have no open cases yet" in client.get("/board/").content.decode()


def test_board_runs_a_fixed_number_of_queries(client, owner, team_a, django_assert_max_num_queries):
    client.force_login(owner)
    for _ in range(3):
        ServiceUserFactory(team=team_a, allocated_worker=owner)
    # 9, 1 for the follow-up intervals the active outcome measures use, and 13 for
    # practice fidelity (workflow.fidelity).
    with django_assert_max_num_queries(23) as small:
        client.get("/board/")
    for _ in range(30):
        ServiceUserFactory(team=team_a, allocated_worker=owner)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/board/")


# --- the board is kept while its records are unchanged --------------------------------


def _board(client, query=""):
    html = client.get("/board/" + query).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)  # new for each page


def test_a_second_visit_reads_the_kept_board_in_a_few_queries_whatever_its_size(
    client, owner, team_a, django_assert_max_num_queries
):
    client.force_login(owner)
    for _ in range(3):
        ServiceUserFactory(team=team_a, allocated_worker=owner)
    first = _board(client)
    # What every signed-in page reads and writes (the session, the user, their
    # teams and permissions: 8), then the co-worked people, the caseload's
    # versions and the kept copy.
    with django_assert_max_num_queries(11) as kept:
        assert _board(client) == first
    budget = len(kept.captured_queries)  # before the next request resets the log
    for _ in range(30):
        ServiceUserFactory(team=team_a, allocated_worker=owner)
    assert _board(client) != first
    with django_assert_max_num_queries(budget):
        _board(client)


def test_any_change_to_someone_on_the_board_shows_at_once(client, owner, team_a):
    """Whatever writes it: a service, a form or a queryset update."""
    from caseload.models import ServiceUser
    from goals.models import Goal
    from tests.goals.factories import GoalFactory

    someone = ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Samwise", last_contact_on=days_ago(40)
    )
    client.force_login(owner)
    assert "⚑ No contact for 28+ days" in _board(client)
    ServiceUser.objects.filter(pk=someone.pk).update(last_contact_on=days_ago(1))
    assert "⚑ No contact for 28+ days" not in _board(client)
    service_user_change_stage(service_user=someone, to_stage="plan", by=owner)
    html = _board(client, "?stage=plan")
    assert "Samwise" in html and "⚑ Goal levels not all described" not in html
    goal = GoalFactory(service_user=someone)
    Goal.objects.filter(pk=goal.pk).update(level_plus_2="")
    assert "⚑ Goal levels not all described" in _board(client, "?stage=plan")


def test_the_board_follows_who_is_on_the_caseload(client, owner, colleague, team_a):
    someone = ServiceUserFactory(team=team_a, allocated_worker=colleague, preferred_name="Rosa")
    client.force_login(owner)
    assert "Rosa" not in _board(client)
    someone.co_workers.add(owner)
    assert "Rosa" in _board(client)
    someone.co_workers.remove(owner)
    assert "Rosa" not in _board(client)


def test_each_user_and_each_filter_has_a_board_of_its_own(client, owner, colleague, team_a):
    ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Samwise", last_contact_on=days_ago(40)
    )
    ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Xanthe", last_contact_on=days_ago(3)
    )
    client.force_login(owner)
    assert "Xanthe" in _board(client)
    assert "Xanthe" not in _board(client, "?flag=no_contact")
    client.force_login(colleague)
    assert "Samwise" not in _board(client)


def test_a_new_day_or_new_settings_work_the_board_out_again(
    client, owner, team_a, settings, monkeypatch
):
    ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Samwise", last_contact_on=days_ago(20)
    )
    client.force_login(owner)
    assert "⚑ No contact for" not in _board(client)
    today = TODAY()
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=10))
    assert "⚑ No contact for 28+ days" in _board(client)
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "NO_CONTACT_DAYS": 35}
    assert "⚑ No contact for" not in _board(client)


def test_with_keeping_off_every_visit_works_the_board_out(
    client, owner, team_a, settings, django_assert_max_num_queries
):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "KEPT_PARTS_SECONDS": 0}
    client.force_login(owner)
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    _board(client)
    with django_assert_max_num_queries(30) as again:
        _board(client)
    assert len(again.captured_queries) > 10
    from django.core.cache import caches

    assert caches["kept"].get(f"workflow:board:1:{owner.pk}::") is None


# --- the supervisor's dashboard -----------------------------------------------------


@pytest.mark.parametrize("name", ["owner", "colleague", "other_worker", "curator", "admin"])
@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/people/", "/dashboard/export.csv"])
def test_only_supervisors_see_the_dashboard(client_for, personas, name, url):
    assert client_for(personas[name]).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/people/", "/dashboard/export.csv"])
def test_anonymous_visitor_is_sent_to_sign_in_from_the_dashboard(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_dashboard_counts_people_by_worker_and_stage(
    client, supervisor, owner, colleague, team_a, other_worker, team_b
):
    for name in ["Annabeth", "Ysolde"]:
        ServiceUserFactory(
            team=team_a, allocated_worker=owner, preferred_name=name, last_contact_on=days_ago(5)
        )
    ServiceUserFactory(
        team=team_a, allocated_worker=colleague, stage="plan", last_contact_on=days_ago(35)
    )
    ServiceUserFactory(team=team_b, allocated_worker=other_worker)
    client.force_login(supervisor)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    rows = {row.worker.username: row for row in response.context["workers"]}
    assert set(rows) == {"owner", "colleague"}
    assert rows["owner"].caseload == 2
    assert rows["owner"].by_stage["getting_started"] == 2
    assert rows["colleague"].no_contact == 1
    assert rows["colleague"].days_since_contact_median == 35
    assert response.context["open_total"] == 3


def test_dashboard_for_a_team_not_supervised_is_404(client, supervisor, team_b):
    client.force_login(supervisor)
    assert client.get(f"/dashboard/?team={team_b.public_id}").status_code == 404
    assert client.get("/dashboard/?team=not-a-uuid").status_code == 404
    assert client.get(f"/dashboard/people/?team={team_b.public_id}").status_code == 404


def test_drill_down_lists_the_people_behind_a_figure(client, supervisor, owner, colleague, team_a):
    ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name="Annabeth", stage="plan")
    ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name="Ysolde")
    ServiceUserFactory(
        team=team_a, allocated_worker=colleague, preferred_name="Wolfgar", stage="plan"
    )
    client.force_login(supervisor)
    url = f"/dashboard/people/?team={team_a.public_id}&worker={owner.public_id}&stage=plan"
    html = client.get(url).content.decode()
    assert "Annabeth" in html and "Ysolde" not in html and "Wolfgar" not in html


@pytest.mark.parametrize(
    "query", ["stage=closed", "stage=nonsense", "flag=nonsense", "worker=not-a-uuid"]
)
def test_drill_down_with_an_unknown_filter_is_404(client, supervisor, team_a, query):
    client.force_login(supervisor)
    assert client.get(f"/dashboard/people/?team={team_a.public_id}&{query}").status_code == 404


def test_drill_down_names_no_worker_from_another_team(client, supervisor, team_a, other_worker):
    client.force_login(supervisor)
    url = f"/dashboard/people/?team={team_a.public_id}&worker={other_worker.public_id}"
    assert client.get(url).status_code == 404


def test_dashboard_export_has_counts_but_no_personal_details(client, supervisor, owner, team_a):
    ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name="Zebedee")
    client.force_login(supervisor)
    response = client.get("/dashboard/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "Zebedee" not in body
    assert "open caseload" in body
    assert "Getting to know each other,1," in body


def test_median_days_in_stage_uses_completed_stays(client, supervisor, owner, team_a):
    from caseload.models import StageChange

    person = ServiceUserFactory(team=team_a, allocated_worker=owner)
    service_user_change_stage(service_user=person, to_stage="assess", by=owner)
    service_user_change_stage(service_user=person, to_stage="plan", by=owner)
    first, second = StageChange.objects.order_by("changed_at")
    StageChange.objects.filter(pk=first.pk).update(
        changed_at=second.changed_at - datetime.timedelta(days=12)
    )
    client.force_login(supervisor)
    days = dict(client.get("/dashboard/").context["days_in_stage"])
    assert [value for stage, value in days.items() if stage == "assess"] == [12.0]
    assert [value for stage, value in days.items() if stage == "plan"] == [None]


def test_median_days_in_stage_ends_a_stay_at_the_next_move_even_a_closing(
    client, supervisor, owner, team_a
):
    from caseload.models import StageChange

    person = ServiceUserFactory(team=team_a, allocated_worker=owner)
    service_user_change_stage(service_user=person, to_stage="assess", by=owner)
    service_user_change_stage(service_user=person, to_stage="closed", by=supervisor)
    service_user_change_stage(service_user=person, to_stage="assess", by=supervisor)
    moves = list(StageChange.objects.filter(service_user=person).order_by("changed_at", "id"))
    start = timezone.now() - datetime.timedelta(days=30)
    for days, move in zip([0, 4, 10], moves, strict=True):  # assess 4 days, closed 6 days
        StageChange.objects.filter(pk=move.pk).update(
            changed_at=start + datetime.timedelta(days=days)
        )
    client.force_login(supervisor)
    days = {
        stage.value: value for stage, value in client.get("/dashboard/").context["days_in_stage"]
    }
    assert days["assess"] == 4.0  # ended by the closing, not by the reopening


def test_dashboard_runs_a_fixed_number_of_queries(
    client, supervisor, owner, team_a, django_assert_max_num_queries
):
    client.force_login(supervisor)
    extra_worker = make_worker(team_a)
    for worker in (owner, extra_worker):
        for _ in range(2):
            ServiceUserFactory(team=team_a, allocated_worker=worker, last_contact_on=days_ago(2))
    # 19 for the figures, plus 2 for the subject access requests due and overdue,
    # 2 for the outcome measures (results, and the versions they were scored with),
    # and 14 for practice fidelity (workflow.fidelity: 13, and the team's workers).
    with django_assert_max_num_queries(37) as small:
        client.get("/dashboard/")
    for _ in range(5):
        worker = make_worker(team_a)
        for _ in range(6):
            ServiceUserFactory(team=team_a, allocated_worker=worker, last_contact_on=days_ago(9))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/dashboard/")


def test_supervisor_of_two_teams_can_switch_between_them(client, team_a):
    other_team = TeamFactory(name="Team C")
    boss = make_supervisor(team_a)
    from accounts.models import TeamMembership

    TeamMembership.objects.create(user=boss, team=other_team, role="supervisor")
    client.force_login(boss)
    html = client.get(f"/dashboard/?team={other_team.public_id}").content.decode()
    assert "Team C" in html and 'name="team"' in html


# --- reminders ----------------------------------------------------------------------


def test_reminders_email_each_worker_once_a_day_with_initials_only(
    owner, colleague, team_a, mailoutbox
):
    from django.core.management import call_command

    ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Yasmin", last_contact_on=days_ago(30)
    )
    ServiceUserFactory(team=team_a, allocated_worker=colleague, last_contact_on=days_ago(1))
    call_command("send_reminders", "--base-url", "https://cp.example.org")
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [owner.email]
    assert "No contact for 28+ days" in email.body
    assert "- Y. (last contact:" in email.body
    assert "https://cp.example.org/people/" in email.body
    assert "Yasmin" not in email.body
    call_command("send_reminders", "--base-url", "https://cp.example.org")
    assert len(mailoutbox) == 1


def test_dashboard_explains_its_figures_in_words(client_for, supervisor, person):
    html = client_for(supervisor).get(reverse("workflow:dashboard")).content.decode()
    assert (
        "A goal rated +1 or +2 at a review is not counted until someone marks it achieved" in html
    )
    assert "no review in the last 8 weeks" in html
    assert "(none in 8 weeks)" not in html


# --- figures kept for a few minutes -------------------------------------------------


@pytest.fixture
def kept_figures(settings):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "DASHBOARD_FIGURES_SECONDS": 300}


def test_dashboard_figures_are_kept_and_say_when_they_were_counted(
    client, supervisor, owner, team_a, kept_figures
):
    client.force_login(supervisor)
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    first = client.get("/dashboard/")
    assert first.context["open_total"] == 1
    assert "Figures as of" in first.content.decode()
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    kept = client.get("/dashboard/")
    assert kept.context["open_total"] == 1  # the copy counted a moment ago
    page = kept.content.decode()
    assert "counted at most every 5 minutes" in page
    assert "Count them again now" in page
    recounted = client.get("/dashboard/" + kept.context["recount_url"])
    assert recounted.context["open_total"] == 2


def test_a_kept_copy_holds_the_figures_rendered_once(
    client, supervisor, owner, team_a, kept_figures
):
    client.force_login(supervisor)
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    first = client.get("/dashboard/")
    figures_template = "workflow/_dashboard_figures.html"
    assert figures_template in [template.name for template in first.templates]
    kept = client.get("/dashboard/")
    assert figures_template not in [template.name for template in kept.templates]
    page = kept.content.decode()
    # the same tables, read from the copy: the owner's row links to their one person
    assert f"worker={owner.public_id}" in page and "People by stage" in page
    assert page.count('id="workers"') == 1


def test_kept_dashboard_is_a_few_queries_whatever_the_team_size(
    client, supervisor, owner, team_a, kept_figures, django_assert_max_num_queries
):
    client.force_login(supervisor)
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    client.get("/dashboard/")
    # Sign-in and session (5 with the session's save), the supervised teams, the
    # kept copy, the data requests due (2), permissions (2) and the supervisors'
    # overdue check-ins (safety).
    with django_assert_max_num_queries(13) as kept:
        client.get("/dashboard/")
    for _ in range(20):
        ServiceUserFactory(team=team_a, allocated_worker=owner)
    with django_assert_max_num_queries(len(kept.captured_queries)):
        client.get("/dashboard/")


def test_kept_figures_belong_to_one_supervisor_and_one_team(client, team_a, kept_figures):
    first = make_supervisor(team_a, username="first.supervisor")
    second = make_supervisor(team_a, username="second.supervisor")
    worker = make_worker(team_a)
    ServiceUserFactory(team=team_a, allocated_worker=worker)
    client.force_login(first)
    assert client.get("/dashboard/").context["open_total"] == 1
    ServiceUserFactory(team=team_a, allocated_worker=worker)
    client.force_login(second)
    assert client.get("/dashboard/").context["open_total"] == 2
    client.force_login(first)
    assert client.get("/dashboard/").context["open_total"] == 1


def test_a_supervisor_who_loses_the_team_gets_404_not_the_kept_copy(
    client, supervisor, owner, team_a, kept_figures
):
    client.force_login(supervisor)
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    assert client.get(f"/dashboard/?team={team_a.public_id}").status_code == 200
    supervisor.memberships.filter(team=team_a).delete()
    assert client.get(f"/dashboard/?team={team_a.public_id}").status_code in (403, 404)


def test_count_dashboards_counts_ahead_so_a_supervisor_reads_a_kept_copy(
    client, supervisor, owner, team_a, team_b, kept_figures, django_assert_max_num_queries
):
    other = make_supervisor(team_b, username="team.b.supervisor")
    inactive = make_supervisor(team_b, username="gone.supervisor")
    inactive.is_active = False
    inactive.save()
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    out = StringIO()
    call_command("count_dashboards", stdout=out)
    assert out.getvalue().startswith("counted 2 dashboards in ")
    ServiceUserFactory(team=team_a, allocated_worker=owner)  # after counting ahead
    client.force_login(supervisor)
    with django_assert_max_num_queries(13):
        page = client.get("/dashboard/")
    assert page.context["open_total"] == 1  # the copy counted ahead, not a fresh count
    assert not page.context["figures"].fresh
    assert "Count them again now" in page.content.decode()
    client.force_login(other)
    assert client.get("/dashboard/").context["figures"].fresh is False


def test_count_dashboards_has_nothing_to_do_when_figures_are_not_kept(supervisor):
    out = StringIO()
    call_command("count_dashboards", stdout=out)  # the test settings keep nothing
    assert "nothing to count ahead" in out.getvalue()


def test_the_download_is_always_counted_afresh(client, supervisor, owner, team_a, kept_figures):
    client.force_login(supervisor)
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    client.get("/dashboard/")
    ServiceUserFactory(team=team_a, allocated_worker=owner)
    rows = client.get("/dashboard/export.csv").content.decode().splitlines()
    owner_row = next(row for row in rows if row.startswith(str(owner)))
    assert owner_row.split(",")[1] == "2"
