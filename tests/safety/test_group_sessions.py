"""Group sessions: one session for several people, each seeing only their own note."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseload.models import AuditEvent, GroupSession, Session, SessionKind
from goals.models import SessionGoal
from safety import group_sessions
from tests.caseload.factories import ServiceUserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("safety:group_session_create")


def _data(rows, **overrides):
    data = {
        "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "duration_minutes": "90",
        "place": "Riverside park",
        "notes": "Walked the river loop; stopped at the café.",
        "attendees-TOTAL_FORMS": str(max(len(rows), 1)),
        "attendees-INITIAL_FORMS": "0",
        "attendees-MIN_NUM_FORMS": "0",
        "attendees-MAX_NUM_FORMS": "30",
    }
    for n, row in enumerate(rows):
        person, note = row[0], row[1]
        data[f"attendees-{n}-person"] = str(person.public_id) if person else ""
        data[f"attendees-{n}-note"] = note
        if len(row) < 3 or row[2]:
            data[f"attendees-{n}-attended"] = "on"
        if len(row) > 3:
            data[f"attendees-{n}-goals"] = [str(g.public_id) for g in row[3]]
    data.update(overrides)
    return data


@pytest.fixture
def three(team_a, owner):
    return [
        ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name=name)
        for name in ("Ann", "Bea", "Cal")
    ]


def test_pages_for_each_persona(three, personas, client_for, client, owner):
    group, _ = group_sessions.group_session_create(
        by=owner,
        values={"date": timezone.localdate(), "duration_minutes": 60, "place": "Park"},
        attendees=[(str(p.public_id), True, "", []) for p in three],
    )
    detail = reverse("safety:group_session", kwargs={"group_id": group.public_id})
    edit = reverse("safety:group_session_edit", kwargs={"group_id": group.public_id})
    client.logout()
    for url in (CREATE, detail, edit):
        assert client.get(url).status_code == 302
    expected = {
        "owner": (200, 200, 200),
        "supervisor": (200, 200, 200),
        "colleague": (200, 404, 404),
        "other_worker": (200, 404, 404),
        "curator": (403, 403, 403),
        "admin": (403, 403, 403),
    }
    for name, statuses in expected.items():
        c = client_for(personas[name])
        got = tuple(c.get(url).status_code for url in (CREATE, detail, edit))
        assert got == statuses, name


def test_a_group_session_appears_in_each_persons_record_with_their_own_note(
    three, owner, client_for
):
    ann, bea, cal = three
    client = client_for(owner)
    response = client.post(
        CREATE,
        _data([(ann, "Ann led the way."), (bea, "Bea chatted with Sue."), (cal, "", False)]),
    )
    assert response.status_code == 302
    group = GroupSession.objects.get()
    sessions = {s.service_user_id: s for s in Session.objects.filter(group=group)}
    assert set(sessions) == {ann.pk, bea.pk, cal.pk}
    assert sessions[cal.pk].kind == SessionKind.DID_NOT_ATTEND
    assert sessions[ann.pk].kind == SessionKind.GROUP
    for person in three:
        person.refresh_from_db()
    assert ann.last_contact_on == group.date and bea.last_contact_on == group.date
    assert cal.last_contact_on is None  # did not attend: not contact
    journey = client.get(reverse("workflow:journey", kwargs={"public_id": ann.public_id}))
    content = journey.content.decode()
    assert "Group session (90 min)" in content and "Ann led the way." in content
    assert "Bea chatted" not in content
    ann_session = client.get(
        reverse(
            "caseload:session",
            kwargs={"public_id": ann.public_id, "session_id": sessions[ann.pk].public_id},
        )
    ).content.decode()
    assert "Walked the river loop" in ann_session and "Ann led the way." in ann_session
    assert "Bea chatted" not in ann_session
    listing = client.get(reverse("caseload:sessions", kwargs={"public_id": bea.public_id}))
    assert listing.content.decode().count('data-label="Type">Group session<') == 1


def test_a_colleague_sees_a_group_note_only_from_that_persons_record(
    team_a, three, owner, colleague, client_for
):
    ann, bea, _cal = three
    bea.co_workers.add(colleague)
    group, _ = group_sessions.group_session_create(
        by=owner,
        values={"date": timezone.localdate(), "duration_minutes": 60, "place": "Park"},
        attendees=[
            (str(ann.public_id), True, "Note for Ann.", []),
            (str(bea.public_id), True, "Note for Bea.", []),
        ],
    )
    client = client_for(colleague)
    detail = client.get(reverse("safety:group_session", kwargs={"group_id": group.public_id}))
    content = detail.content.decode()
    assert "Note for Bea." in content
    assert "Note for Ann." not in content and "Ann" not in content
    assert "1 other person" in content
    ann_session = Session.objects.get(service_user=ann)
    url = reverse(
        "caseload:session",
        kwargs={"public_id": ann.public_id, "session_id": ann_session.public_id},
    )
    assert client.get(url).status_code == 404
    bea_journey = client.get(reverse("workflow:journey", kwargs={"public_id": bea.public_id}))
    assert "Note for Bea." in bea_journey.content.decode()
    assert "Note for Ann." not in bea_journey.content.decode()


@pytest.mark.parametrize("case", ["none", "twice"])
def test_no_attendees_or_the_same_person_twice_is_a_field_error(case, three, owner, client_for):
    ann = three[0]
    rows = [(None, "")] if case == "none" else [(ann, "One."), (ann, "Two.")]
    response = client_for(owner).post(CREATE, _data(rows))
    assert response.status_code == 200
    formset = response.context["formset"]
    errors = [e for form in formset.forms for e in form.errors.get("person", [])]
    expected = (
        "Add at least one person to the group session."
        if case == "none"
        else "This person is already in the group session."
    )
    assert errors == [expected]
    content = response.content.decode()
    assert "<title>Error: " in content and 'href="#id_attendees-' in content
    assert "Walked the river loop" in content
    assert not GroupSession.objects.exists() and not Session.objects.exists()


def test_a_person_outside_the_caseload_is_refused_with_nothing_saved(
    three, owner, team_b, other_worker, client_for
):
    stranger = ServiceUserFactory(team=team_b, allocated_worker=other_worker)
    response = client_for(owner).post(CREATE, _data([(three[0], "Hi."), (stranger, "Hello.")]))
    assert response.status_code == 200
    assert not GroupSession.objects.exists() and not Session.objects.exists()
    with pytest.raises(group_sessions.PermissionDenied):
        group_sessions.group_session_create(
            by=owner,
            values={"date": timezone.localdate(), "duration_minutes": 60, "place": "Park"},
            attendees=[
                (str(three[0].public_id), True, "", []),
                (str(stranger.public_id), True, "", []),
            ],
        )
    assert not GroupSession.objects.exists() and not Session.objects.exists()


def test_a_double_submission_creates_one_group_session(three, owner, client_for):
    client = client_for(owner)
    token = str(client.get(CREATE).context["form"].submission_token)
    data = _data([(p, "") for p in three], submission_token=token)
    assert client.post(CREATE, data).status_code == 302
    assert client.post(CREATE, data).status_code == 302
    assert GroupSession.objects.count() == 1 and Session.objects.count() == 3


def test_goals_worked_on_use_the_session_goal_link_and_must_be_the_persons(
    three, owner, client_for
):
    from tests.goals.factories import GoalFactory

    ann, bea, _cal = three
    ann_goal, bea_goal = GoalFactory(service_user=ann), GoalFactory(service_user=bea)
    client = client_for(owner)
    wrong = client.post(CREATE, _data([(ann, "", True, [bea_goal])]))
    assert wrong.status_code == 200
    assert not GroupSession.objects.exists()
    assert client.post(CREATE, _data([(ann, "", True, [ann_goal])])).status_code == 302
    assert list(SessionGoal.objects.values_list("goal", flat=True)) == [ann_goal.pk]


def test_editing_follows_no_lost_updates_and_moves_every_session(
    three, owner, supervisor, client_for
):
    group, _ = group_sessions.group_session_create(
        by=owner,
        values={"date": timezone.localdate(), "duration_minutes": 60, "place": "Park"},
        attendees=[(str(p.public_id), True, "", []) for p in three],
    )
    url = reverse("safety:group_session_edit", kwargs={"group_id": group.public_id})
    day = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    fields = {"date": day, "duration_minutes": "45", "place": "Park", "notes": ""}
    assert client_for(supervisor).post(url, {**fields, "version": "1"}).status_code == 302
    assert set(Session.objects.values_list("duration_minutes", flat=True)) == {45}
    stale = client_for(owner).post(url, {**fields, "duration_minutes": "50", "version": "1"})
    assert stale.status_code == 409
    assert set(Session.objects.values_list("duration_minutes", flat=True)) == {45}


def _log(client, people):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(CREATE, _data([(p, "Note.") for p in people]))
    assert response.status_code == 302
    return len(queries)


def test_logging_twelve_attendees_costs_a_fixed_number_of_queries_each(team_a, owner, client_for):
    people = [
        ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name=f"P{n:02}")
        for n in range(12)
    ]
    client = client_for(owner)
    two = _log(client, people[:2])
    twelve = _log(client, people)
    per_attendee = (twelve - two) / 10
    assert per_attendee == int(per_attendee) and per_attendee <= 9, (two, twelve)
    assert Session.objects.count() == 14
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count() == 14


def test_logging_from_a_persons_sessions_follows_the_access_rules(
    person, assert_person_access, owner, client_for
):
    url = reverse("safety:group_session_create_for", kwargs={"public_id": person.public_id})
    assert_person_access(url)
    form = client_for(owner).get(url).context["formset"].forms[0]
    assert form.initial == {"person": str(person.public_id)}


def test_the_subject_access_copy_has_the_persons_own_note_and_the_group_notes(three, owner):
    from caseload import persondata

    ann, bea, _cal = three
    group_sessions.group_session_create(
        by=owner,
        values={
            "date": timezone.localdate(),
            "duration_minutes": 60,
            "place": "Park",
            "notes": "Walked the loop.",
        },
        attendees=[
            (str(ann.public_id), True, "Note for Ann.", []),
            (str(bea.public_id), True, "Note for Bea.", []),
        ],
    )
    sessions = persondata.export_person(ann)["record"]["data"]["sessions"]
    assert [s["what_we_did"] for s in sessions] == ["Note for Ann."]
    assert sessions[0]["part_of_a_group_session"] == "Walked the loop."
    assert "Note for Bea." not in str(persondata.export_person(ann))


@pytest.mark.parametrize("bad", ["group", "rows"])
def test_the_title_says_error_once(bad, three, owner, client_for):
    data = _data([(None, "")]) if bad == "rows" else _data([(three[0], "")], duration_minutes="")
    content = client_for(owner).post(CREATE, data).content.decode()
    assert "<title>Error: Log a group session" in content
    assert "Error: Error:" not in content
