"""From the directory to a person: suggestions (referrals), what happened after,
and what each listing's page and the curators' list make of it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import AuditEvent
from goals.models import Goal
from networks.models import NetworkMember
from tests.caseload.factories import ServiceUserFactory, SessionFactory
from tests.goals.factories import GoalFactory
from tests.toolkit.factories import ServiceFactory
from workflow.models import Referral, ReferralStatus, ReferralUpdate
from workflow.referrals import referral_change_status, referral_suggest, service_outcomes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


@pytest.fixture
def group(db):
    return ServiceFactory(name="Riverside Walking Group")


def suggest_url(person, service):
    return reverse(
        "workflow:suggest_to_person",
        kwargs={"public_id": person.public_id, "service_id": service.public_id},
    )


def test_from_a_service_page_a_worker_suggests_it_for_a_goal(client_for, owner, person, group):
    goal = GoalFactory(service_user=person, title="Get out more")
    client = client_for(owner)
    page = client.get(reverse("toolkit:service", kwargs={"public_id": group.public_id}))
    assert "Suggest to someone I support" in page.content.decode()
    picker = client.get(reverse("workflow:service_suggest", kwargs={"public_id": group.public_id}))
    assert "Pat" in picker.content.decode()
    chosen = client.post(
        reverse("workflow:service_suggest", kwargs={"public_id": group.public_id}),
        {"person": person.public_id},
    )
    assert chosen["Location"] == suggest_url(person, group)
    form = client.get(suggest_url(person, group))
    token = form.context["form"].submission_token
    assert "Get out more" in form.content.decode()
    data = {"link": f"goal:{goal.public_id}", "submission_token": token}
    response = client.post(suggest_url(person, group), data)
    assert response["Location"] == reverse(
        "workflow:referrals", kwargs={"public_id": person.public_id}
    )
    client.post(suggest_url(person, group), data)  # sent twice: one suggestion
    referral = Referral.objects.get()
    assert (referral.service, referral.goal, referral.status) == (group, goal, "suggested")
    assert list(goal.opportunities.all()) == [group]
    assert Goal.objects.get(pk=goal.pk).version == goal.version + 1  # open edits go stale
    assert AuditEvent.objects.filter(
        object_type="referral", action="create", service_user=person
    ).exists()
    journey = client.get(reverse("workflow:journey", kwargs={"public_id": person.public_id}))
    assert "“Riverside Walking Group”: suggested" in journey.content.decode()


def test_a_suggestion_can_add_the_listing_to_the_map(client_for, owner, person, group):
    client = client_for(owner)
    token = client.get(suggest_url(person, group)).context["form"].submission_token
    client.post(suggest_url(person, group), {"link": "map", "submission_token": token})
    member = NetworkMember.objects.get(service_user=person)
    assert (member.label, member.opportunity, member.kind) == (group.name, group, "group")
    assert Referral.objects.get().member == member


def test_suggesting_to_someone_you_cannot_see_is_a_404(
    client_for, other_worker, person, group, assert_person_access
):
    response = client_for(other_worker).post(
        reverse("workflow:service_suggest", kwargs={"public_id": group.public_id}),
        {"person": person.public_id},
    )
    assert response.status_code == 404
    assert_person_access(suggest_url(person, group))
    assert_person_access(
        suggest_url(person, group), method="post", data={"link": "none"}, ok=(302,)
    )
    assert Referral.objects.count() == 2  # the owner's and the supervisor's
    assert not Referral.objects.filter(created_by=other_worker).exists()


def test_the_picker_lists_only_the_users_own_open_caseload(
    client_for, owner, person, team_a, group
):
    ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Closed Cal", stage="closed"
    )
    from tests.accounts.factories import make_worker

    someone_else = make_worker(team_a, username="else")
    ServiceUserFactory(team=team_a, allocated_worker=someone_else, preferred_name="Not Mine")
    page = client_for(owner).get(
        reverse("workflow:service_suggest", kwargs={"public_id": group.public_id})
    )
    names = [p.preferred_name for p in page.context["form"].fields["person"].queryset]
    assert names == ["Pat"]


@pytest.mark.parametrize(
    "change", [{"status": "defunct"}, {"status": "temporarily closed"}, {"withdrawn_at": "now"}]
)
def test_withdrawn_and_closed_listings_are_not_offered(client_for, owner, person, group, change):
    if change.get("withdrawn_at"):
        change = {"withdrawn_at": timezone.now()}
    for name, value in change.items():
        setattr(group, name, value)
    group.save()
    client = client_for(owner)
    page = client.get(reverse("toolkit:service", kwargs={"public_id": group.public_id}))
    assert "Suggest to someone I support" not in page.content.decode()
    url = reverse("workflow:service_suggest", kwargs={"public_id": group.public_id})
    assert client.get(url).status_code == 404
    assert client.post(suggest_url(person, group), {"link": "none"}).status_code == 404
    goal_form = client.get(reverse("goals:create", kwargs={"public_id": person.public_id}))
    assert group.name not in goal_form.content.decode()


def test_a_goal_keeps_a_listing_it_links_after_the_listing_is_withdrawn(
    client_for, owner, person, group
):
    goal = GoalFactory(service_user=person)
    goal.opportunities.add(group)
    group.withdrawn_at = timezone.now()
    group.save()
    client = client_for(owner)
    edit = client.get(
        reverse("goals:edit", kwargs={"public_id": person.public_id, "goal_id": goal.public_id})
    )
    field = edit.context["form"].fields["opportunities"]
    assert list(field.queryset) == [group]
    assert 'type="checkbox"' in str(edit.context["form"]["opportunities"])
    assert group.name in client.get(goal.get_absolute_url()).content.decode()


def make_referral(person, service, *, by, suggested_on=None):
    referral, _ = referral_suggest(service_user=person, service=service, by=by)
    if suggested_on:
        Referral.objects.filter(pk=referral.pk).update(suggested_on=suggested_on)
        referral.refresh_from_db()
    return referral


def status_url(person, referral):
    return reverse(
        "workflow:referral",
        kwargs={"public_id": person.public_id, "referral_id": referral.public_id},
    )


def test_status_moves_on_with_dates_and_shows_in_the_journey(client_for, owner, person, group):
    referral = make_referral(person, group, by=owner, suggested_on=days_ago(20))
    client = client_for(owner)
    response = client.post(
        status_url(person, referral),
        {"version": referral.version, "status": "tried", "on": days_ago(10).isoformat()},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.tried_on) == ("tried", days_ago(10))
    journey = client.get(reverse("workflow:journey", kwargs={"public_id": person.public_id}))
    assert "“Riverside Walking Group”: tried it" in journey.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "stopped", "on": 30, "stop_reason": "cost"}, "on", "cannot come before that"),
        ({"status": "contacted", "on": 2}, "status", "which comes after"),
        ({"status": "stopped", "on": 1}, "stop_reason", "Say why they stopped"),
        ({"status": "still_going", "on": -3}, "on", "cannot be in the future"),
        ({"status": "still_going", "on": 8}, "on", "The last step was on"),
        ({"status": "bogus", "on": 1}, "status", "Choose what happened"),
    ],
)
def test_out_of_order_changes_are_field_errors(
    client_for, owner, person, group, data, field, message
):
    referral = make_referral(person, group, by=owner, suggested_on=days_ago(20))
    referral = referral_change_status(
        referral=referral,
        status="tried",
        on=days_ago(5),
        by=owner,
        expected_version=referral.version,
    )
    data = {**data, "on": days_ago(data["on"]).isoformat(), "version": referral.version}
    response = client_for(owner).post(status_url(person, referral), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Error:" in content
    assert message in str(response.context["form"].errors[field])
    referral.refresh_from_db()
    assert referral.status == "tried"  # nothing changed


def test_a_stale_status_change_is_a_conflict(client_for, owner, person, group):
    referral = make_referral(person, group, by=owner)
    old = referral.version
    referral_change_status(
        referral=referral, status="contacted", on=TODAY(), by=owner, expected_version=old
    )
    response = client_for(owner).post(
        status_url(person, referral), {"version": old, "status": "tried", "on": TODAY().isoformat()}
    )
    assert response.status_code == 409
    assert Referral.objects.get().status == "contacted"


def test_suggestions_are_updated_with_a_session(client_for, owner, person, group):
    referral = make_referral(person, group, by=owner)
    session = SessionFactory(service_user=person, author=owner, date=TODAY())
    url = reverse(
        "workflow:session_referrals",
        kwargs={"public_id": person.public_id, "session_id": session.public_id},
    )
    client = client_for(owner)
    session_page = client.get(
        reverse(
            "caseload:session",
            kwargs={"public_id": person.public_id, "session_id": session.public_id},
        )
    )
    assert url in session_page.content.decode()
    prefix = str(referral.public_id)
    response = client.post(
        url,
        {
            "referral": prefix,
            f"{prefix}-version": referral.version,
            f"{prefix}-status": "contacted",
            f"{prefix}-on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    update = ReferralUpdate.objects.get(status="contacted")
    assert update.session == session and update.by == owner


def test_person_pages_of_suggestions_follow_the_access_rules(
    owner, person, group, assert_person_access
):
    referral = make_referral(person, group, by=owner)
    session = SessionFactory(service_user=person, author=owner, date=TODAY())
    assert_person_access(reverse("workflow:referrals", kwargs={"public_id": person.public_id}))
    assert_person_access(status_url(person, referral))
    assert_person_access(
        reverse(
            "workflow:session_referrals",
            kwargs={"public_id": person.public_id, "session_id": session.public_id},
        )
    )


def _people_with(service, team, worker, n, *, status, tried_days_ago=None):
    for _ in range(n):
        someone = ServiceUserFactory(team=team, allocated_worker=worker)
        referral = make_referral(someone, service, by=worker, suggested_on=days_ago(200))
        if status == "suggested":
            continue
        referral = referral_change_status(
            referral=referral, status="tried", on=days_ago(tried_days_ago), by=worker,
            expected_version=referral.version,
        )  # fmt: skip
        if status in ("still_going", "stopped"):
            referral_change_status(
                referral=referral, status=status, on=TODAY(), by=worker,
                stop_reason="not_for_them", expected_version=referral.version,
            )  # fmt: skip


def test_service_page_figures_are_suppressed_under_five(client_for, owner, curator, team_a, group):
    _people_with(group, team_a, owner, 3, status="suggested")
    _people_with(group, team_a, owner, 4, status="still_going", tried_days_ago=120)
    outcomes = service_outcomes(group)
    assert outcomes == {
        "suggested": "7", "tried": "fewer than 5", "stayed": "fewer than 5",
        "flagged": False, "any": True,
    }  # fmt: skip
    for user in (owner, curator):
        page = client_for(user).get(
            reverse("toolkit:service", kwargs={"public_id": group.public_id})
        )
        content = page.content.decode()
        assert "People it was suggested to" in content and "fewer than 5" in content
    page = client_for(curator).get(
        reverse("toolkit:service", kwargs={"public_id": group.public_id})
    )
    assert "Suggest to someone I support" not in page.content.decode()


def test_many_tried_and_few_stayed_flags_a_listing(team_a, owner, group):
    _people_with(group, team_a, owner, 6, status="stopped", tried_days_ago=10)
    _people_with(group, team_a, owner, 1, status="still_going", tried_days_ago=100)
    outcomes = service_outcomes(group)
    assert (outcomes["tried"], outcomes["stayed"], outcomes["flagged"]) == (
        "7",
        "fewer than 5",
        True,
    )
    healthy = ServiceFactory(name="Healthy")
    _people_with(healthy, team_a, owner, 5, status="still_going", tried_days_ago=100)
    assert service_outcomes(healthy)["stayed"] == "5" and not service_outcomes(healthy)["flagged"]


@pytest.mark.parametrize("people", [2, 12])
def test_service_page_figures_run_a_fixed_number_of_queries(
    client_for, owner, team_a, group, people, django_assert_num_queries
):
    _people_with(group, team_a, owner, people, status="still_going", tried_days_ago=100)
    client = client_for(owner)
    url = reverse("toolkit:service", kwargs={"public_id": group.public_id})
    client.get(url)
    with django_assert_num_queries(EXPECTED_SERVICE_PAGE_QUERIES):
        client.get(url)


EXPECTED_SERVICE_PAGE_QUERIES = 22


def test_curators_see_listings_needing_checks_most_used_first(client_for, curator, owner, team_a):
    busy = ServiceFactory(name="Busy, never checked")
    quiet = ServiceFactory(name="Quiet, checked long ago", assured_date=days_ago(800))
    ServiceFactory(name="Checked recently", assured_date=days_ago(10))
    _people_with(busy, team_a, owner, 3, status="suggested")
    flagged = ServiceFactory(name="Flagged but checked", assured_date=days_ago(10))
    _people_with(flagged, team_a, owner, 5, status="stopped", tried_days_ago=5)
    client = client_for(curator)
    page = client.get(reverse("workflow:needs_checking"))
    names = [listing.name for listing in page.context["page_obj"]]
    assert names == ["Flagged but checked", "Busy, never checked", "Quiet, checked long ago"]
    assert "Flagged for review" in page.content.decode()
    by_age = client.get(reverse("workflow:needs_checking"), {"sort": "checked"})
    assert [x.name for x in by_age.context["page_obj"]][0] == "Busy, never checked"
    curation = client.get(reverse("toolkit:curation")).content.decode()
    assert reverse("workflow:needs_checking") in curation
    assert client_for(owner).get(reverse("workflow:needs_checking")).status_code == 403
    assert quiet  # listed above


def test_suggestions_are_in_the_persons_copy_and_erased_with_them(owner, person, group):
    from workflow import persondata

    referral = make_referral(person, group, by=owner)
    referral_change_status(
        referral=referral, status="stopped", on=TODAY(), stop_reason="cost", by=owner,
        expected_version=referral.version,
    )  # fmt: skip
    copy = persondata.export_person(person)
    assert copy[0]["listing"] == group.name and copy[0]["why_stopped"] == "The cost"
    assert [step["status"] for step in copy[0]["steps"]] == ["Suggested", "Stopped"]
    persondata.erase_person(person)
    assert not Referral.objects.exists() and not ReferralUpdate.objects.exists()


def test_referral_statuses_are_in_order():
    from workflow.referrals import STEPS

    assert [s.value for s in STEPS] == ["suggested", "contacted", "tried", "still_going"]
    assert ReferralStatus.STOPPED not in STEPS
