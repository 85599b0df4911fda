"""Links between members, snapshots (immutable), the automatic baseline, comparing."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseload.models import AuditEvent
from caseload.services import service_user_change_stage
from caseload.stages import Stage
from networks import services
from networks.models import Snapshot, SnapshotImmutable, Tie
from tests.networks.factories import NetworkMemberFactory


def test_owner_links_two_members(client_for, owner, url, small_map):
    choir, library = small_map["choir"], small_map["library"]
    response = client_for(owner).post(
        url("ties"), {"first": library.public_id, "second": choir.public_id}
    )
    assert response.status_code == 302
    tie = Tie.objects.get(member_a__in=[choir, library], member_b__in=[choir, library])
    assert tie.member_a.pk < tie.member_b.pk
    assert AuditEvent.objects.filter(action="create", object_type="tie").exists()


def test_a_member_cannot_be_linked_to_themselves(client_for, owner, url, small_map):
    choir = small_map["choir"]
    before = Tie.objects.count()
    response = client_for(owner).post(
        url("ties"), {"first": choir.public_id, "second": choir.public_id}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in html
    assert "cannot be linked to themselves" in html
    assert Tie.objects.count() == before


@pytest.mark.parametrize("order", ["same", "reversed"])
def test_a_duplicate_link_is_refused_in_either_order(client_for, owner, url, small_map, order):
    sam, choir = small_map["sam"], small_map["choir"]  # already linked
    first, second = (sam, choir) if order == "same" else (choir, sam)
    response = client_for(owner).post(
        url("ties"), {"first": first.public_id, "second": second.public_id}
    )
    assert "are already linked" in response.content.decode()
    assert Tie.objects.count() == 1


def test_the_database_refuses_duplicate_and_self_ties_too(small_map, person):
    sam, choir = small_map["sam"], small_map["choir"]
    a, b = sorted((sam, choir), key=lambda m: m.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.objects.create(service_user=person, member_a=a, member_b=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.objects.create(service_user=person, member_a=b, member_b=a)  # reversed order
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.objects.create(service_user=person, member_a=a, member_b=a)


def test_a_link_to_another_persons_member_is_refused(client_for, owner, url, small_map, stranger):
    response = client_for(owner).post(
        url("ties"),
        {"first": small_map["choir"].public_id, "second": stranger["member"].public_id},
    )
    assert "Choose a current member of this person" in response.content.decode()
    assert Tie.objects.count() == 1
    with pytest.raises(services.NetworkError):
        services.tie_create(
            service_user=small_map["choir"].service_user,
            first=small_map["choir"],
            second=stranger["member"],
            by=owner,
        )


def test_an_ended_member_cannot_be_linked(client_for, owner, url, small_map):
    library = small_map["library"]
    library.ended_on = timezone.localdate()
    library.save()
    html = client_for(owner).get(url("ties")).content.decode()
    assert "Library" not in html
    response = client_for(owner).post(
        url("ties"), {"first": small_map["choir"].public_id, "second": library.public_id}
    )
    assert "Choose a current member" in response.content.decode()


def test_removing_a_link_asks_first_then_removes_it(client_for, owner, url, small_map):
    tie = small_map["tie"]
    client = client_for(owner)
    html = client.get(url("tie_remove", tie_id=tie.public_id)).content.decode()
    assert "Remove the link between" in html
    assert Tie.objects.filter(pk=tie.pk).exists()
    response = client.post(url("tie_remove", tie_id=tie.public_id))
    assert response.status_code == 302
    assert not Tie.objects.filter(pk=tie.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="tie").exists()


def test_taking_a_snapshot_freezes_members_ties_and_metrics(
    client_for, owner, url, person, small_map
):
    client = client_for(owner)
    response = client.post(
        url("snapshots"),
        {"label": "Baseline", "is_baseline": "on", "submission_token": str(uuid.uuid4())},
    )
    snapshot = Snapshot.objects.get(service_user=person)
    assert response["Location"] == url("snapshot", snapshot_id=snapshot.public_id)
    assert snapshot.is_baseline and snapshot.taken_by == owner
    assert snapshot.member_count == 3 and snapshot.tie_count == 1
    assert {m["label"] for m in snapshot.data["members"]} == {"Sam", "Choir", "Library"}
    assert snapshot.metrics["density"] == round(2 * 1 / (3 * 2), 4)
    # The map changes; the snapshot does not.
    NetworkMemberFactory(service_user=person, label="New friend")
    snapshot.refresh_from_db()
    assert snapshot.member_count == 3
    html = client.get(url("snapshot", snapshot_id=snapshot.public_id)).content.decode()
    assert "New friend" not in html and 'role="img"' in html and "Sam" in html


def test_sending_the_snapshot_form_twice_takes_one(client_for, owner, url, person):
    client = client_for(owner)
    data = {"label": "Review", "submission_token": str(uuid.uuid4())}
    client.post(url("snapshots"), data)
    client.post(url("snapshots"), data)
    assert Snapshot.objects.filter(service_user=person).count() == 1


def test_a_second_baseline_is_refused(client_for, owner, url, person):
    services.snapshot_take(service_user=person, label="Baseline", by=owner, is_baseline=True)
    with pytest.raises(services.NetworkError):
        services.snapshot_take(service_user=person, label="Again", by=owner, is_baseline=True)
    # The form no longer offers the choice; a forged field is ignored.
    client_for(owner).post(url("snapshots"), {"label": "Review", "is_baseline": "on"})
    assert Snapshot.objects.filter(service_user=person, is_baseline=True).count() == 1
    assert Snapshot.objects.filter(service_user=person).count() == 2


def test_editing_or_deleting_a_snapshot_is_refused_and_nothing_changes(
    client_for, owner, url, person, small_map
):
    snapshot = services.snapshot_take(service_user=person, label="Review 1", by=owner)
    snapshot_url = url("snapshot", snapshot_id=snapshot.public_id)
    client = client_for(owner)
    response = client.post(snapshot_url, {"label": "Changed"})
    assert response.status_code == 405
    assert "Snapshots cannot be changed" in response.content.decode()
    assert client.delete(snapshot_url).status_code == 405
    with pytest.raises(SnapshotImmutable):
        snapshot.label = "Changed"
        snapshot.save()
    with pytest.raises(SnapshotImmutable):
        snapshot.delete()
    with pytest.raises(SnapshotImmutable):
        Snapshot.objects.filter(pk=snapshot.pk).update(label="Changed")
    with pytest.raises(SnapshotImmutable):
        Snapshot.objects.filter(pk=snapshot.pk).delete()
    assert Snapshot.objects.get(pk=snapshot.pk).label == "Review 1"


def test_leaving_assess_takes_the_baseline_automatically_once(owner, person, small_map):
    service_user_change_stage(service_user=person, to_stage=Stage.ASSESS, by=owner)
    assert not Snapshot.objects.exists()  # arriving in assess takes nothing
    service_user_change_stage(service_user=person, to_stage=Stage.PLAN, by=owner)
    baseline = Snapshot.objects.get(service_user=person)
    assert baseline.is_baseline and baseline.automatic and baseline.member_count == 3
    service_user_change_stage(service_user=person, to_stage=Stage.ASSESS, by=owner)
    service_user_change_stage(service_user=person, to_stage=Stage.PLAN, by=owner)
    assert Snapshot.objects.filter(service_user=person).count() == 1


def test_leaving_assess_keeps_an_existing_baseline(owner, person):
    services.snapshot_take(service_user=person, label="Mine", by=owner, is_baseline=True)
    person.stage = Stage.ASSESS
    person.save()
    service_user_change_stage(service_user=person, to_stage=Stage.PLAN, by=owner)
    assert Snapshot.objects.get(service_user=person).label == "Mine"


def test_compare_shows_a_member_gained_since_the_baseline(
    client_for, owner, url, person, small_map
):
    services.snapshot_take(service_user=person, label="Baseline", by=owner, is_baseline=True)
    NetworkMemberFactory(service_user=person, label="Walking group", kind="group")
    sam = small_map["sam"]
    sam.ring = 2
    sam.support = ["emotional"]
    sam.save()
    html = client_for(owner).get(url("compare")).content.decode()
    assert "Gained: 1" in html and "Walking group" in html
    assert "Lost: 0" in html
    assert "Moved further away: 1" in html
    assert "now gives emotional" in html
    assert 'data-metric-change="size">+1<' in html
    assert html.count('role="img"') == 2  # both maps, side by side
    assert 'id="compare-map-1-title"' in html and 'id="compare-map-2-title"' in html


def test_compare_between_two_snapshots_and_bad_choices(client_for, owner, url, person, small_map):
    first = services.snapshot_take(service_user=person, label="One", by=owner, is_baseline=True)
    small_map["library"].ended_on = timezone.localdate()
    small_map["library"].save()
    second = services.snapshot_take(service_user=person, label="Two", by=owner)
    client = client_for(owner)
    html = client.get(
        url("compare"), {"before": first.public_id, "after": second.public_id}
    ).content.decode()
    assert "Lost: 1" in html and "Library" in html
    response = client.get(url("compare"), {"before": first.public_id, "after": first.public_id})
    assert response.status_code == 200 and "Choose two different maps" in response.content.decode()
    response = client.get(url("compare"), {"before": "nonsense", "after": "current"})
    assert (
        response.status_code == 200
        and "Choose a snapshot from the list" in response.content.decode()
    )


def test_compare_without_snapshots_says_what_to_do(client_for, owner, url):
    html = client_for(owner).get(url("compare")).content.decode()
    assert "nothing to compare with yet" in html


def test_links_and_snapshots_pages_run_a_fixed_number_of_queries(
    client_for, owner, url, person, django_assert_num_queries
):
    from tests.networks.factories import make_tie

    client = client_for(owner)

    def grow(count):
        members = [NetworkMemberFactory(service_user=person) for _ in range(count + 1)]
        for a, b in zip(members, members[1:], strict=False):
            make_tie(a, b)
        for i in range(count):
            services.snapshot_take(service_user=person, label=f"Review {i}", by=owner)

    grow(3)
    client.get(url("ties"))
    counts = {}
    for name in ("ties", "snapshots", "compare"):
        with django_assert_num_queries(99, exact=False) as ctx:
            assert client.get(url(name)).status_code == 200
        counts[name] = len(ctx)
    grow(27)
    for name, count in counts.items():
        with django_assert_num_queries(count):
            assert client.get(url(name)).status_code == 200


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ties", "Choose the first member."),
        ("snapshots", "Enter a name for the snapshot."),
        ("export", "Choose what to download."),
    ],
)
def test_an_empty_form_gets_a_clear_error_not_silence(
    client_for, owner, url, small_map, name, message
):
    response = client_for(owner).post(url(name), {})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_erasing_a_person_still_removes_their_snapshots(owner, person, small_map):
    services.snapshot_take(service_user=person, label="Baseline", by=owner, is_baseline=True)
    person.delete()
    assert not Snapshot.objects.exists() and not Tie.objects.exists()


def test_a_change_in_a_share_is_shown_in_percentage_points():
    from networks.presenters import format_change

    assert format_change("formal_share", 0.25 - 0.48) == "−23 percentage points"
    assert format_change("formal_share", 0.01) == "+1 percentage point"
    assert format_change("formal_share", 0.0) == "no change"
    assert format_change("size", -2) == "−2"
    assert format_change("density", 0.15) == "+0.15"
