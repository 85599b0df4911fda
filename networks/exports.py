"""Exports of the current map: CSV (members; ties) and GraphML.

Labels are pseudonymised by default: each member becomes its role and a number
within its area of life ("Family 1", "Friend 2"), numbered in the order they were
added, and the person becomes "Person". Real labels are an explicit choice the
view records in the audit log. Notes are never exported.

All functions take plain map data (:func:`networks.selectors.map_data`).
"""

import csv
import io

import networkx as nx

from core.csv import safe_cell

from .models import SECTOR_ROLE

EGO_ID = "ego"

MEMBER_COLUMNS = [
    "member_id",
    "label",
    "kind",
    "sector",
    "ring",
    "frequency",
    "support",
    "direction",
    "quality",
    "known_since",
    "opportunity",
    "added_on",
]


def pseudonyms(members):
    """``{member id: "Family 1", ...}``, numbered within each sector by date added
    (then by label, so the numbering is the same in every export of the same map)."""
    ordered = sorted(members, key=lambda m: (m["added_on"], m["label"].lower(), m["id"]))
    counters, names = {}, {}
    for member in ordered:
        role = SECTOR_ROLE.get(member["sector"], "Member")
        counters[role] = counters.get(role, 0) + 1
        names[member["id"]] = f"{role} {counters[role]}"
    return names


def labels_for(data, *, real_labels):
    if real_labels:
        return {member["id"]: member["label"] for member in data["members"]}
    return pseudonyms(data["members"])


def members_csv(data, *, real_labels=False):
    labels = labels_for(data, real_labels=real_labels)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEMBER_COLUMNS)
    for member in data["members"]:
        row = dict(member, member_id=member["id"], label=labels[member["id"]])
        row["support"] = ";".join(member["support"])
        writer.writerow([safe_cell(row.get(column)) for column in MEMBER_COLUMNS])
    return out.getvalue()


def ties_csv(data, *, real_labels=False):
    labels = labels_for(data, real_labels=real_labels)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["member_a_id", "member_a_label", "member_b_id", "member_b_label"])
    for a, b in data["ties"]:
        writer.writerow([a, safe_cell(labels.get(a, "")), b, safe_cell(labels.get(b, ""))])
    return out.getvalue()


def graph(data, *, real_labels=False, person_label="Person"):
    """The ego network as a networkx graph: the person (node ``ego``, role "ego"),
    members (role "alter", with their attributes) and ties (``tie`` = "ego" for the
    person's own ties, "alter" for member–member ties)."""
    labels = labels_for(data, real_labels=real_labels)
    g = nx.Graph(name="Social network map")
    g.add_node(EGO_ID, role="ego", label=person_label if real_labels else "Person")
    for member in data["members"]:
        g.add_node(
            member["id"],
            role="alter",
            label=labels[member["id"]],
            kind=member["kind"],
            sector=member["sector"],
            ring=int(member["ring"]),
            frequency=member["frequency"],
            support=";".join(member["support"]),
            direction=member["direction"],
            quality=member["quality"],
            known_since=member["known_since"] or 0,
            added_on=member["added_on"],
        )
        g.add_edge(EGO_ID, member["id"], tie="ego", quality=member["quality"])
    for a, b in data["ties"]:
        g.add_edge(a, b, tie="alter")
    return g


def graphml(data, *, real_labels=False, person_label="Person"):
    buffer = io.BytesIO()
    nx.write_graphml(graph(data, real_labels=real_labels, person_label=person_label), buffer)
    return buffer.getvalue()
