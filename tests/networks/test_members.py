"""Adding, changing and ending members; the map page."""

import datetime
import uuid

from django.utils import timezone

from caseload.models import AuditEvent
from networks.models import NetworkMember
from tests.networks.factories import NetworkMemberFactory, make_tie

GOOD = {
    "label": "Sam",
    "kind": "person",
    "sector": "family",
    "ring": "1",
    "frequency": "weekly",
    "support": ["emotional", "practical"],
    "direction": "both_ways",
    "quality": "positive",
    "known_since": "2015",
    "added_on": "2026-11-01",
    "notes": "",
}


def test_map_shows_the_picture_the_table_and_the_figures(client_for, owner, url, small_map):
    response = client_for(owner).get(url("map"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and 'id="members-table"' in html
    assert html.count('class="member"') == 3
    assert '<th scope="row">Sam' in html
    assert 'data-metric="density"' in html and "What the figures say" in html
    assert 'href="/people/' in html and "Breadcrumb" in html


def test_map_names_the_baseline_and_the_latest_snapshot(client_for, owner, url, person, small_map):
    from networks import services

    client = client_for(owner)
    assert "No baseline yet" in client.get(url("map")).content.decode()
    services.snapshot_take(service_user=person, label="Baseline", by=owner, is_baseline=True)
    services.snapshot_take(service_user=person, label="Review 1", by=owner)
    html = client.get(url("map")).content.decode()
    assert "Baseline taken on" in html and "with 3 members" in html
    assert "Latest snapshot:" in html and ">Review 1</a>" in html


def test_viewing_the_map_is_audited(client_for, owner, url, person):
    client_for(owner).get(url("map"))
    event = AuditEvent.objects.get(action="view", service_user=person)
    assert event.actor == owner and event.path == url("map")


def test_empty_map_says_what_to_do_next(client_for, owner, url):
    html = client_for(owner).get(url("map")).content.decode()
    assert "Nobody is on the map yet" in html and "Add the first member" in html
    assert 'role="img"' not in html


def test_ended_members_are_hidden_from_the_map_but_listed_on_request(
    client_for, owner, url, small_map
):
    library = small_map["library"]
    library.ended_on = timezone.localdate()
    library.save()
    client = client_for(owner)
    html = client.get(url("map")).content.decode()
    assert html.count('class="member"') == 2 and "Show 1 ended member" in html
    html = client.get(url("map") + "?ended=1").content.decode()
    assert "Ended members" in html and "Library" in html


def test_map_page_runs_the_same_number_of_queries_for_3_and_30_members(
    client_for, owner, url, person, django_assert_num_queries, nothing_kept
):
    client = client_for(owner)

    def fill(count):
        members = [NetworkMemberFactory(service_user=person) for _ in range(count)]
        for a, b in zip(members, members[1:], strict=False):
            make_tie(a, b)
        NetworkMemberFactory(service_user=person, ended_on=timezone.localdate())

    fill(3)
    client.get(url("map"))  # warm up the session
    # +1: the risk alert banner (safety)
    with django_assert_num_queries(14) as ctx:
        assert client.get(url("map")).status_code == 200
    fill(27)
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert client.get(url("map") + "?ended=1").status_code == 200


def test_owner_adds_a_member_and_the_change_is_audited_by_field_name(
    client_for, owner, url, person
):
    response = client_for(owner).post(url("member_add"), GOOD)
    assert response.status_code == 302 and response["Location"] == url("map")
    member = NetworkMember.objects.get(service_user=person)
    assert (member.label, member.ring, member.support) == ("Sam", 1, ["emotional", "practical"])
    assert member.created_by == owner and member.known_since == 2015
    event = AuditEvent.objects.get(action="create", object_type="networkmember")
    assert "label" in event.fields and "Sam" not in str(event.fields) + event.detail


def test_sending_the_add_form_twice_creates_one_member(client_for, owner, url, person):
    client = client_for(owner)
    data = {**GOOD, "submission_token": str(uuid.uuid4())}
    client.post(url("member_add"), data)
    client.post(url("member_add"), data)
    assert NetworkMember.objects.filter(service_user=person).count() == 1


def test_member_can_link_to_a_directory_opportunity(client_for, owner, url, person):
    from toolkit.models import Organization, Service

    walk = Service.objects.create(
        organization=Organization.objects.create(name="Parks"), name="Health walks"
    )
    form_html = client_for(owner).get(url("member_add")).content.decode()
    assert "Health walks" in form_html
    client_for(owner).post(url("member_add"), {**GOOD, "opportunity": walk.pk})
    assert NetworkMember.objects.get(service_user=person).opportunity == walk
    assert (
        "through the community opportunity “Health walks”"
        in client_for(owner).get(url("map")).content.decode()
    )


def test_unknown_codes_get_clear_errors_keep_the_answers_and_change_nothing(
    client_for, owner, url, person
):
    bad = {**GOOD, "sector": "aliens", "ring": "9", "support": ["money"], "kind": "robot"}
    response = client_for(owner).post(url("member_add"), bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "Choose an area of life from the list." in html
    assert "Choose a ring from the list." in html
    assert "Choose support types from the list." in html
    assert "Choose a kind from the list." in html
    assert 'value="Sam"' in html  # answers kept
    assert not NetworkMember.objects.exists()


def test_minimisation_no_phone_numbers_and_help_asks_for_a_first_name_or_role(
    client_for, owner, url
):
    client = client_for(owner)
    html = client.get(url("member_add")).content.decode()
    assert "first name, initials or a role" in html
    for field in ("surname", "address", "phone"):
        assert field not in {f.name for f in NetworkMember._meta.get_fields()}
    response = client.post(url("member_add"), {**GOOD, "label": "Sam 07700 900123"})
    assert "Do not record phone numbers here" in response.content.decode()
    assert not NetworkMember.objects.exists()


def test_future_dates_and_years_are_refused(client_for, owner, url):
    next_year = timezone.localdate().year + 1
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(owner).post(
        url("member_add"), {**GOOD, "known_since": next_year, "added_on": tomorrow.isoformat()}
    )
    html = response.content.decode()
    assert "Enter a year that is not in the future." in html
    assert "cannot be in the future" in html
    assert not NetworkMember.objects.exists()


def test_owner_changes_a_member(client_for, owner, url, small_map):
    sam = small_map["sam"]
    client = client_for(owner)
    assert "Change Sam" in client.get(url("member_edit", member_id=sam.public_id)).content.decode()
    data = {**GOOD, "label": "Sammy", "ring": "2", "version": sam.version}
    response = client.post(url("member_edit", member_id=sam.public_id), data)
    assert response.status_code == 302
    sam.refresh_from_db()
    assert (sam.label, sam.ring, sam.version) == ("Sammy", 2, 2)
    event = AuditEvent.objects.get(action="update", object_type="networkmember")
    assert "label" in event.fields and "ring" in event.fields and "kind" not in event.fields


def test_a_stale_edit_shows_a_conflict_and_overwrites_nothing(client_for, owner, url, small_map):
    sam = small_map["sam"]
    NetworkMember.objects.filter(pk=sam.pk).update(label="Samantha", version=2)
    response = client_for(owner).post(
        url("member_edit", member_id=sam.public_id), {**GOOD, "label": "Sammy", "version": 1}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed Samantha" in html and 'value="Sammy"' in html
    sam.refresh_from_db()
    assert sam.label == "Samantha"


def test_ending_a_member_keeps_them_with_the_date_and_reason(client_for, owner, url, small_map):
    library = small_map["library"]
    client = client_for(owner)
    today = timezone.localdate()
    response = client.post(
        url("member_end", member_id=library.public_id),
        {"ended_on": today.isoformat(), "reason": "Closed for good"},
    )
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.ended_on == today and library.end_reason == "Closed for good"
    assert NetworkMember.objects.filter(pk=library.pk).exists()


def test_ending_a_member_twice_changes_nothing_and_says_so(client_for, owner, url, small_map):
    library = small_map["library"]
    ended = timezone.localdate() - datetime.timedelta(days=2)
    library.ended_on = ended
    library.save()
    client = client_for(owner)
    response = client.post(
        url("member_end", member_id=library.public_id),
        {"ended_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    assert "already ended" in response.content.decode()
    library.refresh_from_db()
    assert library.ended_on == ended


def test_end_date_before_the_member_was_added_is_refused(client_for, owner, url, small_map):
    library = small_map["library"]
    response = client_for(owner).post(
        url("member_end", member_id=library.public_id),
        {"ended_on": (library.added_on - datetime.timedelta(days=1)).isoformat()},
    )
    assert "must be on or after the date they were added" in response.content.decode()
    library.refresh_from_db()
    assert library.ended_on is None


def test_malformed_member_id_is_404(client_for, owner, person):
    response = client_for(owner).get(f"/people/{person.public_id}/network/members/not-a-uuid/")
    assert response.status_code == 404


def test_a_member_ended_by_mistake_can_be_brought_back(client_for, owner, url, small_map):
    library = small_map["library"]
    library.ended_on = timezone.localdate()
    library.end_reason = "Mistake"
    library.save()
    client = client_for(owner)
    assert "Bring back" in client.get(url("map") + "?ended=1").content.decode()
    response = client.post(url("member_restore", member_id=library.public_id), follow=True)
    assert "Library is back on the map" in response.content.decode()
    library.refresh_from_db()
    assert library.ended_on is None and library.end_reason == ""
    assert AuditEvent.objects.filter(action="update", detail="restored").exists()
    # A second time changes nothing and says so.
    response = client.post(url("member_restore", member_id=library.public_id), follow=True)
    assert "already on the map" in response.content.decode()


def test_bringing_back_is_only_for_the_owner_and_supervisor(assert_person_access, url, small_map):
    assert_person_access(
        url("member_restore", member_id=small_map["sam"].public_id), method="post", ok=(302,)
    )
