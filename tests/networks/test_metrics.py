"""Metrics on hand-worked graphs (DESIGN §3). Each expected figure is worked out
in the comment or the test name, not copied from the code's output."""

import pytest

from networks import metrics


def member(
    id,
    sector="friends",
    *,
    kind="person",
    ring=2,
    frequency="monthly",
    support=(),
    direction="they_help",
    quality="positive",
):
    return {
        "id": id,
        "sector": sector,
        "kind": kind,
        "ring": ring,
        "frequency": frequency,
        "support": list(support),
        "direction": direction,
        "quality": quality,
    }


def test_empty_map_has_zero_everything_and_no_constraint():
    result = metrics.compute([], [])
    assert result["size"] == 0
    assert result["ties"] == 0
    assert result["density"] == 0
    assert result["isolates"] == 0
    assert result["components"] == 0
    assert result["formal_share"] == 0
    assert result["sectors_present"] == 0
    assert result["diversity"] == 0
    assert result["effective_size"] == 0
    assert result["constraint"] is None
    assert result["new_since_baseline"] is None
    assert result["by_sector"]["family"] == 0


def test_one_member_is_an_isolate_in_one_component_with_density_zero():
    result = metrics.compute([member("a", "services")], [])
    assert result["size"] == 1
    assert result["density"] == 0  # fewer than two members
    assert result["isolates"] == 1
    assert result["components"] == 1
    assert result["formal_share"] == 1.0
    assert result["diversity"] == 0  # everyone in one sector
    assert result["effective_size"] == 1.0
    assert result["constraint"] == 1.0  # the only contact constrains completely


def test_a_pair_who_know_each_other_has_density_one():
    result = metrics.compute([member("a"), member("b")], [("a", "b")])
    assert result["ties"] == 1
    assert result["density"] == 1.0  # 2·1 / (2·1)
    assert result["isolates"] == 0
    assert result["components"] == 1
    assert result["effective_size"] == 1.0  # 2 − 2·1/2


def test_a_pair_who_do_not_know_each_other_are_two_isolates():
    result = metrics.compute([member("a"), member("b")], [])
    assert result["density"] == 0
    assert result["isolates"] == 2
    assert result["components"] == 2
    assert result["effective_size"] == 2.0


def test_disconnected_graph_of_two_pairs():
    members = [member(x) for x in "abcd"]
    result = metrics.compute(members, [("a", "b"), ("c", "d")])
    assert result["density"] == pytest.approx(2 * 2 / (4 * 3), abs=1e-4)  # 0.3333
    assert result["isolates"] == 0
    assert result["components"] == 2
    assert result["effective_size"] == 3.0  # 4 − 2·2/4


def test_complete_graph_of_four():
    members = [member(x) for x in "abcd"]
    ties = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")]
    result = metrics.compute(members, ties)
    assert result["ties"] == 6
    assert result["density"] == 1.0
    assert result["isolates"] == 0
    assert result["components"] == 1
    assert result["effective_size"] == 1.0  # 4 − 2·6/4: everyone is redundant


def test_five_member_case():
    """A, B (family), C (friends) all know each other; D (services) and E (community)
    know no one else.

    density = 2·3 / (5·4) = 0.3; isolates = 2 (D, E); components = 3 ({A,B,C}, {D}, {E});
    sectors present = 4; Blau = 1 − (0.4² + 3·0.2²) = 0.72; formal share = 1/5;
    effective size = 5 − 2·3/5 = 3.8; constraint = 3·(1/5 + 2·(1/5)(1/3))² + 2·(1/5)²
    = 3·(1/3)² + 2/25 = 0.41333.
    """
    members = [
        member(
            "A",
            "family",
            frequency="daily",
            support=["emotional", "practical"],
            direction="both_ways",
            ring=1,
        ),
        member("B", "family", frequency="weekly", support=["emotional"], ring=1),
        member(
            "C",
            "friends",
            frequency="monthly",
            support=["companionship"],
            direction="both_ways",
            kind="group",
        ),
        member("D", "services", frequency="monthly", support=["information"], ring=3, kind="place"),
        member("E", "community", frequency="rarely", kind="activity", quality="stressful", ring=3),
    ]
    ties = [("A", "B"), ("B", "C"), ("C", "A")]
    result = metrics.compute(members, ties)
    assert result["size"] == 5
    assert result["ties"] == 3
    assert result["density"] == 0.3
    assert result["isolates"] == 2
    assert result["components"] == 3
    assert result["sectors_present"] == 4
    assert result["diversity"] == 0.72
    assert result["formal_share"] == 0.2
    assert result["reciprocal"] == 2
    assert result["weekly_or_more"] == 2
    assert result["support"] == {
        "emotional": 2,
        "practical": 1,
        "information": 1,
        "companionship": 1,
    }
    assert result["by_ring"] == {"1": 2, "2": 1, "3": 2}
    assert result["by_kind"] == {"person": 2, "group": 1, "place": 1, "activity": 1}
    assert result["by_sector"]["family"] == 2
    assert result["effective_size"] == 3.8
    assert result["constraint"] == pytest.approx(0.41333, abs=1e-4)


def test_ties_to_unknown_members_self_ties_and_repeats_are_ignored():
    members = [member("a"), member("b")]
    result = metrics.compute(members, [("a", "b"), ("b", "a"), ("a", "a"), ("a", "gone")])
    assert result["ties"] == 1
    assert result["density"] == 1.0


def test_new_and_lost_since_baseline_by_member_identity():
    new, lost = metrics.new_and_lost(["a", "b", "c"], ["b", "c", "d", "e"])
    assert new == {"d", "e"}
    assert lost == {"a"}
    result = metrics.compute([member("b"), member("d")], [], baseline_ids=["a", "b"])
    assert result["new_since_baseline"] == 1
    assert result["lost_since_baseline"] == 1


def test_compare_maps_finds_gained_lost_moved_and_support_changes():
    before = {
        "members": [
            member("a", ring=2, support=["emotional"]),
            member("b", ring=1),
            member("c", ring=3),
        ],
        "ties": [],
    }
    after = {
        "members": [
            member("a", ring=1, support=["practical"]),
            member("b", ring=3),
            member("d"),
        ],
        "ties": [],
    }
    changes = metrics.compare_maps(before, after)
    assert [m["id"] for m in changes["gained"]] == ["d"]
    assert [m["id"] for m in changes["lost"]] == ["c"]
    assert [new["id"] for _old, new in changes["closer"]] == ["a"]
    assert [new["id"] for _old, new in changes["further"]] == ["b"]
    assert [(n["id"], added, removed) for _o, n, added, removed in changes["support_changed"]] == [
        ("a", ["practical"], ["emotional"])
    ]


def test_every_headline_metric_has_a_plain_words_explanation():
    result = metrics.compute([member("a")], [])
    for key in metrics.METRIC_INFO:
        assert key in result
        label, explanation = metrics.METRIC_INFO[key]
        assert label and len(explanation) > 20


@pytest.mark.parametrize("seed", range(6))
def test_constraint_matches_networkx_on_the_ego_graph(seed):
    import itertools
    import random

    import networkx as nx

    rnd = random.Random(seed)
    members = [member(str(i)) for i in range(rnd.randint(1, 12))]
    pairs = list(itertools.combinations([m["id"] for m in members], 2))
    ties = rnd.sample(pairs, rnd.randint(0, len(pairs)))
    expected = nx.constraint(metrics.ego_graph(members, ties), nodes=[metrics.EGO])[metrics.EGO]
    assert metrics.constraint(members, ties) == pytest.approx(expected, abs=1e-4)
