"""Network metrics (DESIGN.md §3) as pure functions on plain data.

Input everywhere:

- ``members``: an iterable of mappings, one per *active* member ("alter"), with the
  keys ``id`` (any hashable, the member's identity), ``kind``, ``sector``, ``ring``
  (1, 2 or 3), ``frequency``, ``support`` (a list of codes), ``direction`` and
  ``quality`` (the codes in :mod:`networks.models`).
- ``ties``: an iterable of ``(id_a, id_b)`` pairs between members (alter–alter
  ties). Ties naming an id that is not among ``members``, self-ties and repeats are
  ignored, so the figures always describe the members given.

Nothing here touches the database; the map page, snapshots, exports and tests all
call these same functions. Results are JSON-ready (string keys, floats rounded
to four places) so they can be frozen in a snapshot and compared later.
"""

from collections import Counter

import networkx as nx

KINDS = ("person", "group", "place", "activity")
SECTORS = (
    "household",
    "family",
    "friends",
    "work_education",
    "community",
    "neighbours",
    "services",
)
RINGS = ("1", "2", "3")
SUPPORTS = ("emotional", "practical", "information", "companionship")
WEEKLY_OR_MORE = ("daily", "weekly")
FORMAL_SECTOR = "services"
EGO = "__ego__"


def _round(value):
    return round(float(value), 4)


def alter_graph(members, ties):
    """The member–member graph: one node per member, one edge per distinct tie
    between two different members who are both in ``members``."""
    graph = nx.Graph()
    graph.add_nodes_from(member["id"] for member in members)
    for a, b in ties:
        if a != b and a in graph and b in graph:
            graph.add_edge(a, b)
    return graph


def ego_graph(members, ties):
    """The alter graph plus the person (``EGO``) tied to every member."""
    graph = alter_graph(members, ties)
    alters = list(graph.nodes)
    graph.add_node(EGO)
    graph.add_edges_from((EGO, alter) for alter in alters)
    return graph


def size(members):
    """Number of active members (alters)."""
    return len(list(members))


def counts_by(members, key, codes):
    """How many members have each code of ``key`` (every code listed, zeros included)."""
    counter = Counter(str(member[key]) for member in members)
    return {code: counter.get(code, 0) for code in codes}


def density(graph):
    """2E / (n(n−1)) over alter–alter ties; 0 when there are fewer than two members."""
    n = graph.number_of_nodes()
    if n < 2:
        return 0.0
    return _round(nx.density(graph))


def isolates(graph):
    """Members with no tie to another member."""
    return nx.number_of_isolates(graph)


def components(graph):
    """Connected groups of members (an isolate is a group of one); 0 for an empty map."""
    if graph.number_of_nodes() == 0:
        return 0
    return nx.number_connected_components(graph)


def formal_share(members):
    """Share of members in the services (formal, professional) sector; 0 when empty."""
    members = list(members)
    if not members:
        return 0.0
    return _round(sum(1 for m in members if m["sector"] == FORMAL_SECTOR) / len(members))


def sectors_present(members):
    """How many different sectors have at least one member."""
    return len({member["sector"] for member in members})


def blau_diversity(members):
    """Blau index over sectors, 1 − Σp² (0 when everyone is in one sector or the map is
    empty; approaches 1 − 1/7 when members are spread evenly over all seven)."""
    members = list(members)
    if not members:
        return 0.0
    n = len(members)
    counter = Counter(member["sector"] for member in members)
    return _round(1 - sum((count / n) ** 2 for count in counter.values()))


def reciprocal(members):
    """Members where help goes both ways."""
    return sum(1 for member in members if member["direction"] == "both_ways")


def support_counts(members):
    """How many members give each kind of support (a member may give several)."""
    counter = Counter(code for member in members for code in set(member["support"]))
    return {code: counter.get(code, 0) for code in SUPPORTS}


def weekly_or_more(members):
    """Members in contact daily or weekly."""
    return sum(1 for member in members if member["frequency"] in WEEKLY_OR_MORE)


def effective_size(members, ties):
    """Burt's effective size of the person's network: members minus redundancy,
    n − 2t/n for t alter–alter ties (Borgatti's form); 0 for an empty map."""
    graph = ego_graph(members, ties)
    if graph.number_of_nodes() <= 1:
        return 0.0
    return _round(nx.effective_size(graph, nodes=[EGO])[EGO])


def constraint(members, ties):
    """Burt's constraint on the person: how much their contacts are tied to each other
    (1 with a single member; near 1 when all members know each other; lower when
    they are unconnected). ``None`` for an empty map, where it is undefined.

    The same figure as ``networkx.constraint`` on the ego graph (the tests check
    this), worked out directly for our unweighted case, because networkx's general
    version takes around 200 ms for 40 members and 200 ties:
    c = Σⱼ (pᵢⱼ + Σ_q pᵢ_q p_qⱼ)², with pᵢⱼ = 1/n from the person to each of n members
    and p_qⱼ = 1/(degree of q) between members (the tie to the person counts).
    """
    graph = alter_graph(members, ties)
    n = graph.number_of_nodes()
    if n == 0:
        return None
    degree = {node: d + 1 for node, d in graph.degree()}  # + the tie to the person
    total = 0.0
    for j in graph.nodes:
        indirect = sum((1 / n) * (1 / degree[q]) for q in graph.neighbors(j))
        total += (1 / n + indirect) ** 2
    return _round(total)


def new_and_lost(baseline_ids, current_ids):
    """Members gained and lost since the baseline, by member identity:
    ``(new, lost)`` sets of ids."""
    baseline_ids, current_ids = set(baseline_ids), set(current_ids)
    return current_ids - baseline_ids, baseline_ids - current_ids


def compute(members, ties, *, baseline_ids=None):
    """Every metric for one map, as a JSON-ready dict (see :data:`METRIC_INFO`).

    With ``baseline_ids`` (the member ids in the baseline snapshot) it also gives
    ``new_since_baseline`` and ``lost_since_baseline``; without, both are ``None``.
    """
    members = list(members)
    ties = list(ties)
    graph = alter_graph(members, ties)
    if baseline_ids is None:
        new = lost = None
    else:
        gained, gone = new_and_lost(baseline_ids, (m["id"] for m in members))
        new, lost = len(gained), len(gone)
    return {
        "size": len(members),
        "ties": graph.number_of_edges(),
        "density": density(graph),
        "isolates": isolates(graph),
        "components": components(graph),
        "formal_share": formal_share(members),
        "sectors_present": sectors_present(members),
        "diversity": blau_diversity(members),
        "reciprocal": reciprocal(members),
        "weekly_or_more": weekly_or_more(members),
        "effective_size": effective_size(members, ties),
        "constraint": constraint(members, ties),
        "new_since_baseline": new,
        "lost_since_baseline": lost,
        "by_sector": counts_by(members, "sector", SECTORS),
        "by_ring": counts_by(members, "ring", RINGS),
        "by_kind": counts_by(members, "kind", KINDS),
        "support": support_counts(members),
    }


# Plain-words explanations of the headline figures, for the metrics panel and
# the comparison table. Order is the order shown.
METRIC_INFO = {
    "size": ("Members", "People, groups, places and activities on the map now."),
    "ties": ("Links between members", "Pairs of members who know each other."),
    "density": (
        "How connected",
        "The share of possible links between members that exist, from 0 (nobody knows "
        "each other) to 1 (everyone knows everyone).",
    ),
    "isolates": (
        "Members linked to no one else",
        "Members the person knows who know no one else on the map.",
    ),
    "components": (
        "Separate circles",
        "Groups of members linked to each other but not to the rest; a member on their "
        "own counts as one.",
    ),
    "formal_share": (
        "Share from services",
        "The share of members who are formal or professional services.",
    ),
    "sectors_present": (
        "Areas of life",
        "How many of the seven areas of life (household, family, friends and so on) "
        "have at least one member.",
    ),
    "diversity": (
        "Spread across areas of life",
        "From 0 (everyone in one area) towards 0.86 (spread evenly over all seven).",
    ),
    "reciprocal": ("Help both ways", "Members where help goes both ways."),
    "weekly_or_more": (
        "In touch weekly or more",
        "Members the person is in touch with weekly or daily.",
    ),
    "effective_size": (
        "Effective size",
        "Members, less those who mostly know the same people: a measure of how many "
        "different circles the person can reach.",
    ),
    "constraint": (
        "Constraint",
        "How closely the person's members know each other; higher means a tighter, "
        "more closed network. Blank for an empty map.",
    ),
    "new_since_baseline": (
        "New since baseline",
        "Members on the map now who were not at the baseline.",
    ),
    "lost_since_baseline": (
        "Lost since baseline",
        "Members at the baseline who are no longer on the map.",
    ),
}

PERCENT_METRICS = {"formal_share"}


def compare_maps(before, after):
    """What changed between two frozen maps (each ``{"members": [...], "ties": [...]}``
    with member mappings as in a snapshot), by member identity.

    Returns ``gained`` and ``lost`` (member mappings), ``closer`` and ``further``
    (``(before, after)`` pairs whose ring changed) and ``support_changed``
    (``(before, after, added codes, removed codes)``).
    """
    before_by_id = {m["id"]: m for m in before.get("members", [])}
    after_by_id = {m["id"]: m for m in after.get("members", [])}
    gained = [m for key, m in after_by_id.items() if key not in before_by_id]
    lost = [m for key, m in before_by_id.items() if key not in after_by_id]
    closer, further, support_changed = [], [], []
    for key, old in before_by_id.items():
        new = after_by_id.get(key)
        if new is None:
            continue
        if int(new["ring"]) < int(old["ring"]):
            closer.append((old, new))
        elif int(new["ring"]) > int(old["ring"]):
            further.append((old, new))
        added = sorted(set(new["support"]) - set(old["support"]))
        removed = sorted(set(old["support"]) - set(new["support"]))
        if added or removed:
            support_changed.append((old, new, added, removed))
    return {
        "gained": gained,
        "lost": lost,
        "closer": closer,
        "further": further,
        "support_changed": support_changed,
    }
