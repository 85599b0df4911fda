"""Every network URL, persona by persona: owner and supervisor in; colleague,
other-team worker, curator and admin get 404; anonymous is sent to sign in."""

import pytest

from networks import services
from networks.models import NetworkMember, Snapshot, Tie


@pytest.fixture
def snapshot(person, owner, small_map):
    return services.snapshot_take(service_user=person, label="Baseline", by=owner, is_baseline=True)


@pytest.mark.parametrize("name", ["map", "member_add", "ties", "snapshots", "compare", "export"])
def test_person_level_pages_are_only_for_the_owner_and_supervisor(
    assert_person_access, url, name, small_map
):
    assert_person_access(url(name))


def test_member_tie_and_snapshot_pages_are_only_for_the_owner_and_supervisor(
    assert_person_access, url, small_map, snapshot
):
    sam = small_map["sam"]
    assert_person_access(url("member_edit", member_id=sam.public_id))
    assert_person_access(url("member_end", member_id=sam.public_id))
    assert_person_access(url("tie_remove", tie_id=small_map["tie"].public_id))
    assert_person_access(url("snapshot", snapshot_id=snapshot.public_id))


def test_outsiders_cannot_change_anything(assert_person_access, url, small_map, snapshot):
    sam, choir, library = small_map["sam"], small_map["choir"], small_map["library"]
    before = (NetworkMember.objects.count(), Tie.objects.count(), Snapshot.objects.count())
    allowed = ()  # check only the refusals: the owner's successful posts are tested elsewhere
    assert_person_access(
        url("member_add"),
        method="post",
        data={
            "label": "Intruder",
            "kind": "person",
            "sector": "family",
            "ring": 1,
            "frequency": "daily",
            "direction": "both_ways",
            "quality": "positive",
        },
        allowed=allowed,
    )
    assert_person_access(
        url("member_end", member_id=library.public_id),
        method="post",
        data={"ended_on": "2026-11-01"},
        allowed=allowed,
    )
    assert_person_access(
        url("ties"),
        method="post",
        data={"first": choir.public_id, "second": library.public_id},
        allowed=allowed,
    )
    assert_person_access(
        url("tie_remove", tie_id=small_map["tie"].public_id), method="post", allowed=allowed
    )
    assert_person_access(url("snapshots"), method="post", data={"label": "Review"}, allowed=allowed)
    assert_person_access(
        url("export"), method="post", data={"what": "members_csv"}, allowed=allowed
    )
    assert (NetworkMember.objects.count(), Tie.objects.count(), Snapshot.objects.count()) == before
    sam.refresh_from_db()
    library.refresh_from_db()
    assert library.ended_on is None


def test_another_persons_member_tie_or_snapshot_in_the_url_is_404(
    client_for, owner, url, person, stranger, small_map
):
    """The owner may see both people, but objects are only found through their person."""
    other, robin = stranger["person"], stranger["member"]
    other_snapshot = services.snapshot_take(service_user=other, label="Theirs", by=owner)
    client = client_for(owner)
    assert client.get(url("member_edit", member_id=robin.public_id)).status_code == 404
    assert client.get(url("member_end", member_id=robin.public_id)).status_code == 404
    assert (
        client.post(
            url("member_end", member_id=robin.public_id), {"ended_on": "2026-11-01"}
        ).status_code
        == 404
    )
    assert client.get(url("snapshot", snapshot_id=other_snapshot.public_id)).status_code == 404
    # Person's tie under the other person's URL.
    assert (
        client.get(url("tie_remove", who=other, tie_id=small_map["tie"].public_id)).status_code
        == 404
    )
    robin.refresh_from_db()
    assert robin.ended_on is None
    assert Tie.objects.filter(pk=small_map["tie"].pk).exists()
