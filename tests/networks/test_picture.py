"""The map picture: members in their wedge and ring, labels that never overlap (up
to 40 members), a shape per kind, dashed lines for stressful ties."""

import math
import random

import pytest

from networks import picture
from networks.models import Kind, Quality, Sector


def members(n, *, seed=1, sectors=None, rings=None, label=None):
    rnd = random.Random(seed)
    return [
        {
            "id": f"m{i}",
            "label": label(i) if label else f"Member {i}",
            "kind": rnd.choice(Kind.values),
            "sector": rnd.choice(sectors or Sector.values),
            "ring": rnd.choice(rings or [1, 2, 3]),
            "quality": rnd.choice(Quality.values),
        }
        for i in range(n)
    ]


SCENARIOS = {
    "spread at random": members(40, seed=1),
    "spread at random, other seed": members(40, seed=7),
    "all in the inner family cell": members(40, sectors=["family"], rings=[1]),
    "all in the outer services cell": members(40, sectors=["services"], rings=[3]),
    "all in one sector": members(40, sectors=["friends"]),
    "long names in one cell": members(
        40, sectors=["household"], rings=[1], label=lambda i: f"Someone with a long name {i}"
    ),
    "very wide letters": members(40, seed=3, label=lambda i: "W" * 60),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_forty_members_get_labels_that_do_not_overlap_each_other_or_fixed_text(name):
    layout = picture.layout(SCENARIOS[name], [], person_label="Pat")
    boxes = [m["box"] for m in layout["members"]]
    assert len(boxes) == 40
    for i, box in enumerate(boxes):
        assert box.inside_canvas()
        for other in boxes[:i]:
            assert not box.overlaps(other)
        for fixed in layout["fixed_boxes"]:
            assert not box.overlaps(fixed)
    # Labels are kept whenever there is room: in these cases always.
    assert all(m["text"] for m in layout["members"])


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_member_is_drawn_inside_its_own_wedge_and_ring(name):
    layout = picture.layout(SCENARIOS[name], [])
    for m in layout["members"]:
        angle = math.atan2(m["y"] - layout["cy"], m["x"] - layout["cx"])
        radius = math.hypot(m["x"] - layout["cx"], m["y"] - layout["cy"])
        start, end = layout["wedges"][m["sector"]]
        # Wedges run clockwise from the top, so normalise the angle into [start, start + 2π).
        while angle < start:
            angle += 2 * math.pi
        assert start <= angle <= end, m
        r_in, r_out = layout["ring_bounds"][m["ring"]]
        assert r_in <= radius <= r_out, m


def test_sector_labels_do_not_overlap_each_other():
    layout = picture.layout(members(40, sectors=["family"]), [])
    boxes = layout["fixed_boxes"]
    for i, box in enumerate(boxes):
        for other in boxes[:i]:
            assert not box.overlaps(other)


def test_long_labels_are_shortened_with_an_ellipsis_and_kept_in_full_in_the_tooltip():
    data = [
        {
            "id": "a",
            "label": "Bartholomew the neighbour",
            "kind": "person",
            "sector": "neighbours",
            "ring": 2,
            "quality": "positive",
        }
    ]
    member = picture.layout(data, [])["members"][0]
    assert member["text"].endswith("…") and len(member["text"]) <= 16
    assert "Bartholomew the neighbour" in member["title"]


def test_svg_has_a_shape_per_kind_dashes_for_stressful_ties_and_points_to_the_table():
    data = [
        {
            "id": "p",
            "label": "Sam",
            "kind": "person",
            "sector": "family",
            "ring": 1,
            "quality": "stressful",
        },
        {
            "id": "g",
            "label": "Choir",
            "kind": "group",
            "sector": "community",
            "ring": 2,
            "quality": "positive",
        },
        {
            "id": "l",
            "label": "Library",
            "kind": "place",
            "sector": "community",
            "ring": 3,
            "quality": "mixed",
        },
        {
            "id": "a",
            "label": "Walking",
            "kind": "activity",
            "sector": "friends",
            "ring": 2,
            "quality": "positive",
        },
    ]
    layout = picture.layout(data, [("p", "g"), ("g", "p"), ("p", "missing")], person_label="Pat")
    svg = picture.render_svg(
        layout, title="Network map for Pat", description="See the table of members below."
    )
    assert 'role="img"' in svg
    assert 'aria-labelledby="network-map-title network-map-desc"' in svg
    assert "table of members" in svg
    assert svg.count('class="member"') == 4
    assert "<rect x=" in svg and svg.count("<polygon") == 2  # group; place and activity
    stressful = [line for line in svg.splitlines() if 'data-quality="stressful"' in line]
    assert stressful and 'stroke-dasharray="10 6"' in stressful[0]
    positive = [line for line in svg.split("<line") if 'data-quality="positive"' in line]
    assert positive and all("stroke-dasharray" not in line for line in positive)
    assert len(layout["ties"]) == 1  # repeats and ties to unknown members are not drawn
    assert ">Pat<" in svg


def test_every_sector_is_named_even_when_empty():
    layout = picture.layout([], [])
    assert [s["label"]["text"] for s in layout["sectors"]] == [
        "Household",
        "Family",
        "Friends",
        "Work/education",
        "Community",
        "Neighbours",
        "Services",
    ]


def test_labels_are_escaped_in_the_svg():
    data = [
        {
            "id": "x",
            "label": "<script>alert(1)</script>",
            "kind": "person",
            "sector": "friends",
            "ring": 2,
            "quality": "positive",
        }
    ]
    svg = picture.render_svg(
        picture.layout(data, [], person_label="<b>"), title="<t>", description="&"
    )
    assert "<script>" not in svg and "<b>" not in svg and "<t>" not in svg
    assert "&lt;script&gt;" in svg
