"""Security review: every URL in the app, crawled with malformed input.

Every URL pattern of the project's own apps is listed from the URL resolver (so a
new URL is picked up, or the test fails until it is given values below), filled
in with real objects, then requested as a supervisor, a worker and a curator:

- GET with malformed query strings (bad UUIDs, non-integer, negative and huge
  page numbers, unknown choice codes, characters that only look like digits);
- GET with malformed path values (another person's objects, unknown UUIDs,
  huge integers);
- POST with no fields at all, and with every field malformed.

Whatever the input, the answer must be a page or a clear 4xx — never a 500.
Child objects of another person the user can also see must be a 404 when put in
this person's URL (objects are fetched through the person).
"""

import csv
import datetime
import io
import uuid
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from caseload import erasure as erasure_services
from caseload import subject_access
from goals.models import Goal
from networks import services as network_services
from tests.accounts.factories import make_worker
from tests.caseload.factories import ServiceUserFactory, SessionFactory
from tests.community.factories import CommunityLinkFactory
from tests.goals.factories import GoalFactory, StepFactory, make_review
from tests.networks.factories import NetworkMemberFactory, make_tie
from tests.outcomes.factories import instrument, make_result
from tests.toolkit.factories import ResourceFactory, ServiceFactory
from toolkit.models import ResourceVersion
from workflow.referrals import referral_suggest

# Namespaces of the project's own URLs (Django admin is Django's, not reviewed here).
OWN_NAMESPACES = {
    None,
    "accounts",
    "toolkit",
    "oruk",
    "community",
    "caseload",
    "networks",
    "goals",
    "outcomes",
    "measures",
    "workflow",
}
PERSON_NAMESPACES = {"caseload", "networks", "goals", "outcomes"}
PERSON_ROOT_NAMES = {
    "workflow:journey",
    "workflow:move_stage",
    "workflow:suggest_to_person",
    "workflow:referrals",
    "workflow:referral",
    "workflow:session_referrals",
}

# Path values that are not one person's objects: the person, and a directory
# listing (any listing may be suggested to anyone).
SHARED_PARAMS = {"public_id", "service_id"}

HUGE = "9" * 30
NOT_A_UUID = "not-a-uuid"

# Query strings sent to every GET URL. Each reads as one kind of bad input;
# parameters are grouped so that one does not stop a view before the next is read.
BAD_QUERIES = [
    {
        "page": "abc",
        "stage": "bogus",
        "kind": ["bogus", ""],
        "status": "bogus",
        "sort": "bogus",
        "due": "maybe",
        "instrument": "bogus",
        "figure": "bogus",
    },
    {
        "page": HUGE,
        "flag": "bogus",
        "show": HUGE,
        "ended": "yes please",
        "before": NOT_A_UUID,
        "after": str(uuid.uuid4()),
        "instrument": ["ucla3", "x" * 300],
        "figure": "pairs",
        "score": "bogus",
    },
    {
        "page": "-1",
        "show": "abc",
        "worker": NOT_A_UUID,
        "q": "'\"<script>%_\\",
        "sort": "-bogus",
        "before": "current",
        "after": "current",
    },
    {"category": NOT_A_UUID, "area": "²", "day": "bogus", "free": "2", "tag": "x" * 200},
    {"area": "9" * 30, "unverified": "1", "next": "https://evil.example/"},
    {"q": "nul\x00byte", "tag": "nul\x00byte", "search": "nul\x00byte", "per_page": HUGE},
    {"team": NOT_A_UUID, "contact": "bogus", "organisation": NOT_A_UUID, "service": "9" * 30},
    {"organisation": str(uuid.uuid4()), "manual": "2", "service": str(uuid.uuid4())},
    {"team": str(uuid.uuid4())},
]

# Every form field name used in the app, each given a malformed value.
BAD_FORM = {
    "version": "abc",
    "submission_token": NOT_A_UUID,
    "team": NOT_A_UUID,
    "allocated_worker": "abc",
    "co_workers": ["abc", str(uuid.uuid4())],
    "to_worker": "abc",
    "status": "bogus",
    "stage": "bogus",
    "kind": "bogus",
    "date": "31/02/2026",
    "start_time": "25:61",
    "duration_minutes": HUGE,
    "next_session_on": "not a date",
    "resources_used": ["abc"],
    "referral_date": "2026-02-30",
    "date_of_birth": "yesterday",
    "closed_on": "soon",
    "reason": "x" * 5000,
    "note": "x" * 5000,
    "keep_as_co_worker": "maybe",
    "consent_to_take_part": "perhaps",
    "sector": "bogus",
    "ring": "abc",
    "frequency": "bogus",
    "support": ["bogus"],
    "direction": "bogus",
    "quality": "bogus",
    "known_since": HUGE,
    "opportunity": NOT_A_UUID,
    "opportunities": [NOT_A_UUID, str(uuid.uuid4())],
    "members": [NOT_A_UUID, str(uuid.uuid4())],
    "added_on": "bogus",
    "ended_on": "bogus",
    "first": NOT_A_UUID,
    "second": str(uuid.uuid4()),
    "label": "",
    "is_baseline": "maybe",
    "what": "bogus",
    "real_labels": "maybe",
    "to_stage": "bogus",
    "goals": [NOT_A_UUID, str(uuid.uuid4())],
    "replaced_by": NOT_A_UUID,
    "domain": "bogus",
    "set_on": "bogus",
    "target_date": "bogus",
    "weight": "abc",
    "due_on": "bogus",
    "who": "bogus",
    "done": "bogus",
    "back": "https://evil.example/",
    "reviewed_on": "bogus",
    f"level_{uuid.uuid4()}": "1",
    "instrument": "x" * 300,
    "completed_on": "2026-02-30",
    "timepoint": "bogus",
    "completed_how": "bogus",
    "item_companionship": "7",
    "item_left_out": "two",
    "item_anxiety": HUGE,
    "level_not-a-uuid": "abc",
    "action": "bogus",
    "number": HUGE,
    "title": "",
    "body": "<script>alert(1)</script>",
    "feed": "not a file",
    "organisation": NOT_A_UUID,
    "service": ["abc", str(uuid.uuid4())],
    "last_contact_on": "2026-13-01",
    "next_contact_on": "99999-01-01",
    "contact_email": "not-an-email",
    "contact_phone": "x" * 500,
    "service_name": "x" * 500,
    "notes": "x" * 6000,
    "name": "",
    "location-name": "",
    "next": "https://evil.example/",
    "username": "",
    "login": "",
    "password": "",
    "code": "x" * 5000,
    "credential": "{not json",
    "passwordless": "maybe",
    "email": "not-an-email",
    "old_password": "",
    "new_password1": "",
    "new_password2": "",
    "received_on": "31/02/2026",
    "requested_by": "x" * 500,
    "identity_check": "x" * 5000,
    "names": "bogus",
    "answered_on": "bogus",
    "legal_basis": "bogus",
    "decision": "bogus",
    "reference": "x" * 100,
    "asked_by_them": "maybe",
    "clear_notes": "maybe",
}


def _walk(patterns, namespace=None, prefix="", params=frozenset()):
    for entry in patterns:
        here = params | set(entry.pattern.converters)
        if isinstance(entry, URLResolver):
            yield from _walk(
                entry.url_patterns,
                entry.namespace or namespace,
                prefix + str(entry.pattern),
                here,
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry.name, prefix + str(entry.pattern), here


def _own_url_patterns():
    seen = {}
    for namespace, name, route, params in _walk(get_resolver().url_patterns):
        if namespace not in OWN_NAMESPACES:
            continue
        full = f"{namespace}:{name}" if namespace else name
        seen[full] = (namespace, route, params)
    return seen


def _is_person_url(full_name):
    namespace = full_name.split(":")[0] if ":" in full_name else None
    return namespace in PERSON_NAMESPACES or full_name in PERSON_ROOT_NAMES


ALL_URLS = _own_url_patterns()


def _person_world(team, worker, supervisor):
    """A person with one of every child object, all reachable from their pages."""
    person = ServiceUserFactory(team=team, allocated_worker=worker, preferred_name="Pat")
    session = SessionFactory(
        service_user=person, author=worker, date=timezone.localdate() - datetime.timedelta(days=1)
    )
    first = NetworkMemberFactory(service_user=person, label="Ann")
    second = NetworkMemberFactory(service_user=person, label="Bob")
    tie = make_tie(first, second)
    snapshot = network_services.snapshot_take(
        service_user=person, label="Baseline", by=worker, is_baseline=True
    )
    goal = GoalFactory(service_user=person)
    step = StepFactory(goal=goal)
    review = make_review(person, {goal: 0})
    result = make_result(
        person,
        "ucla3",
        {"companionship": 2, "left_out": 2, "isolated": 1},
        timepoint="baseline",
        days_ago=3,
    )
    service = ServiceFactory()
    referral, _ = referral_suggest(service_user=person, service=service, by=worker)
    sar, _ = subject_access.access_request_record(
        service_user=person,
        by=supervisor,
        data={"received_on": timezone.localdate(), "requested_by": "Pat", "identity_check": "ID"},
    )
    copy = subject_access.access_copy_prepare(access_request=sar, by=supervisor)
    erasure, _ = erasure_services.erasure_request(
        service_user=person, by=supervisor, legal_basis="objection", reason="Pat objected"
    )
    return {
        "service": service,
        "referral": referral,
        "person": person,
        "session": session,
        "member": first,
        "tie": tie,
        "snapshot": snapshot,
        "goal": goal,
        "step": step,
        "review": review,
        "result": result,
        "instrument": instrument("ucla3"),
        "sar": sar,
        "copy": copy,
        "erasure": erasure,
    }


@pytest.fixture
def world(team_a, team_b, owner, supervisor, curator):
    resource = ResourceFactory()
    ResourceVersion.objects.create(resource=resource, number=1, action="created", data={})
    service = ServiceFactory()
    here = _person_world(team_a, owner, supervisor)
    # Another person the same supervisor (and worker) may see: their objects
    # must still be a 404 under the first person's URLs.
    there = _person_world(team_a, owner, supervisor)
    # Community registers hold no person data: one team's objects serve both worlds.
    community = {
        "team": team_a,
        "agency": team_a.agency,
        "link": CommunityLinkFactory(team=team_a, organisation=service.organization),
    }
    here.update(community)
    there.update(community)
    return {
        "here": here,
        "there": there,
        "resource": resource,
        "service": service,
        "team_b": team_b,
        "users": {"supervisor": supervisor, "worker": owner, "curator": curator},
    }


def _kwargs(full_name, params, objects, world):
    """Path values for ``full_name`` from ``objects`` (one person's world)."""
    values = {}
    for param in params:
        if param == "public_id":
            if _is_person_url(full_name):
                values[param] = objects["person"].public_id
            elif "service" in full_name:
                values[param] = world["service"].public_id
            else:
                values[param] = world["resource"].public_id
        elif param == "number":
            values[param] = 1
        elif param == "uidb64":
            values[param] = "MQ"
        elif param == "token":
            values[param] = "set-password"
        elif param == "id":
            values[param] = str(world["service"].public_id)
        elif full_name == "accounts:session_end" or param == "pk":  # sign-in sessions, keys
            values[param] = 1
        else:
            child = param.removesuffix("_id")
            values[param] = objects[child].public_id
    return values


def _url(full_name, world, objects=None, **override):
    _namespace, _route, params = ALL_URLS[full_name]
    kwargs = _kwargs(full_name, params, objects or world["here"], world)
    kwargs.update(override)
    return reverse(full_name, kwargs=kwargs)


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _server_errors(responses):
    """Responses that are a 500, or a redirect off this site (an open redirect:
    the crawl sends next=/back= pointing elsewhere)."""
    problems = []
    for label, response in responses:
        if response.status_code >= 500:
            problems.append(f"{label} → {response.status_code}")
        location = response.get("Location", "")
        if location and urlsplit(location).netloc not in ("", "testserver"):
            problems.append(f"{label} → redirect to {location}")
    return problems


def test_every_own_url_is_covered(world):
    """Every URL of the project's own apps can be built by this module; a new URL
    with a path value this module does not know makes this fail."""
    assert len(ALL_URLS) > 50
    for full_name in ALL_URLS:
        assert _url(full_name, world).startswith("/")


@pytest.mark.parametrize("role", ["supervisor", "worker", "curator"])
def test_no_url_answers_malformed_query_strings_with_a_server_error(world, role):
    client = _client(world["users"][role])
    responses = []
    for full_name in sorted(ALL_URLS):
        if full_name == "accounts:logout":
            continue  # POST only; and signing out would end the crawl
        if role == "curator" and _is_person_url(full_name):
            continue  # a 404 before any parameter is read (checked elsewhere)
        url = _url(full_name, world)
        for query in BAD_QUERIES:
            responses.append((f"{role} GET {full_name} {query}", client.get(url, query)))
    assert not _server_errors(responses), "\n".join(_server_errors(responses))


@pytest.mark.parametrize("role", ["supervisor", "worker"])
def test_no_url_answers_malformed_path_values_with_a_server_error(world, role):
    client = _client(world["users"][role])
    responses = []
    for full_name, (_namespace, _route, params) in sorted(ALL_URLS.items()):
        for param in params:
            if param in ("number", "pk") or full_name == "accounts:session_end":
                bad = {param: int(HUGE)}
            elif param in ("uidb64", "token", "id"):
                bad = {param: "%00" + HUGE}
            else:
                bad = {param: uuid.uuid4()}
            url = _url(full_name, world, **bad)
            response = client.get(url)
            responses.append((f"{role} GET {url}", response))
    assert not _server_errors(responses), "\n".join(_server_errors(responses))


@pytest.mark.parametrize(
    "full_name",
    sorted(n for n in ALL_URLS if _is_person_url(n) and ALL_URLS[n][2] - SHARED_PARAMS),
)
def test_another_persons_child_object_is_not_found_under_this_person(world, full_name):
    """The supervisor sees both people; a child object of one under the other's
    URL must still be a 404 (objects are fetched through the person)."""
    _namespace, _route, params = ALL_URLS[full_name]
    children = [p for p in params if p not in SHARED_PARAMS]
    client = _client(world["users"]["supervisor"])
    for child in children:
        other = world["there"][child.removesuffix("_id")].public_id
        url = _url(full_name, world, **{child: other})
        # POST-only URLs answer GET with 405 before looking anything up.
        statuses = {client.get(url).status_code, client.post(url, {}).status_code}
        assert statuses in ({404}, {404, 405}), f"{url} gave {statuses}"


@pytest.mark.parametrize("full_name", sorted(ALL_URLS))
def test_no_url_answers_missing_or_malformed_post_fields_with_a_server_error(world, full_name):
    responses = []
    for role in ("supervisor", "worker", "curator"):
        client = _client(world["users"][role])
        url = _url(full_name, world)
        responses.append((f"{role} POST {full_name} (empty)", client.post(url, {})))
        responses.append((f"{role} POST {full_name} (malformed)", client.post(url, BAD_FORM)))
    assert not _server_errors(responses), "\n".join(_server_errors(responses))


def test_goal_form_does_not_accept_another_persons_goal_as_replacement(world):
    here, there = world["here"], world["there"]
    client = _client(world["users"]["supervisor"])
    url = _url("goals:edit", world)
    goal = here["goal"]
    response = client.post(
        url,
        {
            "version": goal.version,
            "title": goal.title,
            "domain": goal.domain,
            "set_on": goal.set_on.isoformat(),
            "level_0": "Some progress",
            "status": "replaced",
            "replaced_by": str(there["goal"].public_id),
        },
    )
    assert response.status_code == 200
    assert "replaced_by" in response.context["form"].errors
    assert Goal.objects.get(pk=goal.pk).replaced_by_id is None


def test_worker_cannot_pick_a_worker_outside_their_team_on_a_new_person(world, team_b):
    outsider = make_worker(team_b, username="outsider")
    client = _client(world["users"]["worker"])
    response = client.post(
        reverse("caseload:person_create"),
        {
            "preferred_name": "Sam",
            "team": world["here"]["person"].team_id,
            "allocated_worker": outsider.pk,
        },
    )
    assert response.status_code == 200
    assert "allocated_worker" in response.context["form"].errors


def test_library_ignores_an_area_number_written_with_superscript_digits(world):
    """ "²".isdigit() is true but int("²") fails: this was a 500."""
    response = _client(world["users"]["worker"]).get(reverse("toolkit:library"), {"area": "²"})
    assert response.status_code == 200
    assert response.context["area"] is None


def test_stale_person_edit_with_an_unknown_co_worker_shows_the_conflict_page(world):
    """A stale save whose co-worker ids are not valid choices was a 500 (the
    conflict page treated the typed ids as users)."""
    person = world["here"]["person"]
    response = _client(world["users"]["worker"]).post(
        reverse("caseload:person_edit", kwargs={"public_id": person.public_id}),
        {"version": person.version - 1, "preferred_name": "Sam", "co_workers": ["abc", "999"]},
    )
    assert response.status_code == 409
    assert "abc, 999" in response.content.decode()


def test_library_search_and_tag_drop_a_nul_character(world):
    """PostgreSQL refuses NUL in any string: a pasted one in the search box or a
    tag link was a 500 on the library, directory, curation and ORUK feed."""
    from toolkit.search import clean_query

    assert clean_query("walking\x00group") == "walking group"
    response = _client(world["users"]["worker"]).get(
        reverse("toolkit:library"), {"q": "walk\x00", "tag": "calm\x00"}
    )
    assert response.status_code == 200
    assert response.context["tag"] == "calm"


def _create_forms(world):
    """(URL name, path kwargs, valid POST data, count of this person's records)."""
    here = world["here"]
    person, goal = here["person"], here["goal"]
    today = timezone.localdate().isoformat()
    on_person = {"public_id": person.public_id}
    return [
        (
            "networks:member_add",
            on_person,
            {
                "label": "Cal",
                "kind": "person",
                "sector": "friends",
                "ring": "2",
                "frequency": "weekly",
                "support": ["companionship"],
                "direction": "both_ways",
                "quality": "positive",
                "added_on": today,
            },
            lambda: person.network_members.count(),
        ),
        (
            "networks:snapshots",
            on_person,
            {"label": "Review 1"},
            lambda: person.network_snapshots.count(),
        ),
        (
            "goals:create",
            on_person,
            {
                "title": "Join a choir",
                "domain": goal.domain,
                "set_on": today,
                "level_0": "Go once",
                "baseline_level": "-1",
            },
            lambda: person.goals.count(),
        ),
        (
            "goals:step_create",
            {**on_person, "goal_id": goal.public_id},
            {"what": "Find the choir's times", "who": "person"},
            lambda: goal.steps.count(),
        ),
        (
            "goals:review_create",
            on_person,
            lambda: {
                "reviewed_on": today,
                **{f"level_{g.public_id}": "0" for g in person.goals.filter(status="active")},
            },
            lambda: person.goal_reviews.count(),
        ),
        (
            "outcomes:result_create",
            on_person,
            {
                "instrument": "ucla3",
                "completed_on": today,
                "timepoint": "follow_up",
                "completed_how": "self",
                "item_companionship": "1",
            },
            lambda: person.outcome_results.count(),
        ),
    ]


def test_a_form_token_of_another_persons_record_is_ignored_not_followed(world):
    """Double-submit tokens were looked up across everyone: another person's token
    in a create form redirected to (so revealed) that person's record and saved
    nothing here. Each create form must save a new record for this person."""
    there = world["there"]
    client = _client(world["users"]["worker"])
    for name, kwargs, data, count in _create_forms(world):
        token = uuid.uuid4()
        if name == "networks:snapshots":  # snapshots cannot be changed: take one
            record = network_services.snapshot_take(
                service_user=there["person"],
                label="Theirs",
                by=there["person"].allocated_worker,
                submission_token=token,
            )
        else:
            key = {"networks:member_add": "member", "goals:create": "goal"}.get(
                name, name.split("_")[0].split(":")[1]
            )
            record = there[key]
            type(record).objects.filter(pk=record.pk).update(submission_token=token)
        before = count()
        data = data() if callable(data) else data
        response = client.post(reverse(name, kwargs=kwargs), {**data, "submission_token": token})
        errors = (
            response.context and response.context.get("form") and response.context["form"].errors
        )
        assert response.status_code == 302, (name, response.status_code, errors)
        assert str(there["person"].public_id) not in response["Location"], name
        assert str(record.public_id) not in response["Location"], name
        assert count() == before + 1, name


def test_new_person_form_does_not_follow_the_token_of_a_record_the_user_cannot_see(
    world, team_b, other_worker
):
    hidden = ServiceUserFactory(team=team_b, allocated_worker=other_worker)
    token = uuid.uuid4()
    type(hidden).objects.filter(pk=hidden.pk).update(submission_token=token)
    owner = world["users"]["worker"]
    response = _client(owner).post(
        reverse("caseload:person_create"),
        {
            "preferred_name": "Sam",
            "team": world["here"]["person"].team_id,
            "allocated_worker": owner.pk,
            "referral_date": timezone.localdate().isoformat(),
            "submission_token": token,
        },
    )
    assert response.status_code == 302
    assert str(hidden.public_id) not in response["Location"]
    assert (
        type(hidden)
        .objects.filter(preferred_name="Sam", team=world["here"]["person"].team)
        .exists()
    )


def test_dashboard_export_neutralises_formulas_in_team_and_worker_names(world, team_a, owner):
    """Team and worker names are typed by people; a name starting with = + - @
    would run as a formula when the CSV is opened in a spreadsheet."""
    team_a.name = '=HYPERLINK("http://evil.example")'
    team_a.save()
    owner.first_name, owner.last_name = "@SUM(1+1)", ""
    owner.save()
    response = _client(world["users"]["supervisor"]).get(reverse("workflow:dashboard_export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    assert team_a.name not in cells and "@SUM(1+1)" not in cells, cells
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert "'@SUM(1+1)" in cells


@pytest.mark.parametrize("role", ["supervisor", "worker"])
def test_every_person_page_records_who_viewed_it(world, role):
    """DESIGN §8: every GET of a page of a person's record writes a VIEW event
    for that person (who viewed it and when, never the content); a download of
    a subject access copy writes an EXPORT event instead."""
    from caseload.models import AuditEvent

    person = world["here"]["person"]
    client = _client(world["users"][role])
    missing = []
    pages = sorted(n for n in ALL_URLS if _is_person_url(n) and "public_id" in ALL_URLS[n][2])
    assert len(pages) > 30
    for full_name in pages:
        url = _url(full_name, world)
        seen = AuditEvent.objects.filter(service_user=person, action__in=["view", "export"])
        before = seen.count()
        response = client.get(url)
        if response.status_code != 200:
            continue  # 403 (supervisor-only), 405 (POST-only), 302 (nothing to do)
        after = seen.count()
        if after <= before:
            missing.append(full_name)
    assert not missing, missing
