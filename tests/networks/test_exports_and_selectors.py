"""Exports (CSV, GraphML; pseudonymised by default) and the summaries other apps use."""

import csv
import io

import networkx as nx
import pytest
from django.utils import timezone

from caseload.models import AuditEvent
from networks import metrics, services
from networks.selectors import network_summaries, snapshots_for
from tests.caseload.factories import ServiceUserFactory
from tests.networks.factories import NetworkMemberFactory, make_tie


@pytest.fixture
def family_map(person):
    mum = NetworkMemberFactory(
        service_user=person,
        label="Mum",
        sector="family",
        ring=1,
        support=["emotional"],
        frequency="daily",
    )
    dad = NetworkMemberFactory(service_user=person, label="Dad", sector="family", ring=1)
    gp = NetworkMemberFactory(
        service_user=person,
        label="=GP()",
        sector="services",
        ring=3,
        kind="place",
        quality="stressful",
        direction="they_help",
    )
    walk = NetworkMemberFactory(
        service_user=person, label="Walking group", sector="community", kind="group"
    )
    NetworkMemberFactory(service_user=person, label="Old friend", ended_on=timezone.localdate())
    make_tie(mum, dad)
    make_tie(dad, walk)
    return {"mum": mum, "dad": dad, "gp": gp, "walk": walk}


def download(client, url, what, real=False):
    data = {"what": what}
    if real:
        data["real_labels"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_members_csv_is_pseudonymised_by_default(client_for, owner, url, family_map, person):
    body = download(client_for(owner), url("export"), "members_csv").decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(row["label"] for row in rows) == [
        "Community 1",
        "Family 1",
        "Family 2",
        "Service 1",
    ]
    assert "Mum" not in body and "Dad" not in body and "Old friend" not in body
    assert "notes" not in rows[0]
    by_label = {row["label"]: row for row in rows}
    assert by_label["Family 1"]["member_id"] == str(family_map["dad"].public_id)  # D before M
    event = AuditEvent.objects.get(action="export", service_user=person)
    assert "pseudonymised" in event.detail


def test_real_labels_are_an_explicit_choice_recorded_in_the_audit_log(
    client_for, owner, url, family_map, person
):
    body = download(client_for(owner), url("export"), "members_csv", real=True).decode()
    assert "Mum" in body and "Walking group" in body
    assert "'=GP()" in body  # a formula-looking label cannot run in a spreadsheet
    event = AuditEvent.objects.get(action="export", service_user=person)
    assert "real labels" in event.detail and event.actor == owner


def test_ties_csv_lists_each_link_once(client_for, owner, url, family_map):
    body = download(client_for(owner), url("export"), "ties_csv").decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 2
    pairs = {frozenset((r["member_a_label"], r["member_b_label"])) for r in rows}
    assert pairs == {frozenset(("Family 1", "Family 2")), frozenset(("Family 1", "Community 1"))}


def test_graphml_reads_back_with_the_same_members_ties_and_metrics_as_the_page(
    client_for, owner, url, family_map, person
):
    client = client_for(owner)
    body = download(client, url("export"), "graphml")
    graph = nx.read_graphml(io.BytesIO(body))
    alters = {n for n, a in graph.nodes(data=True) if a["role"] == "alter"}
    expected = {str(m.public_id) for m in family_map.values()}
    assert alters == expected
    assert graph.nodes["ego"]["label"] == "Person"
    alter_edges = {frozenset((a, b)) for a, b, d in graph.edges(data=True) if d["tie"] == "alter"}
    assert alter_edges == {
        frozenset((str(family_map["mum"].public_id), str(family_map["dad"].public_id))),
        frozenset((str(family_map["dad"].public_id), str(family_map["walk"].public_id))),
    }
    assert all(graph.has_edge("ego", alter) for alter in alters)

    # Recompute independently from the file, with networkx directly.
    alter_graph = graph.subgraph(alters)
    n, e = alter_graph.number_of_nodes(), alter_graph.number_of_edges()
    density = round(2 * e / (n * (n - 1)), 4)
    isolates = sum(1 for node in alter_graph if alter_graph.degree(node) == 0)
    components = nx.number_connected_components(alter_graph)
    members = [
        {
            "id": node,
            "kind": graph.nodes[node]["kind"],
            "sector": graph.nodes[node]["sector"],
            "ring": graph.nodes[node]["ring"],
            "frequency": graph.nodes[node]["frequency"],
            "support": [s for s in graph.nodes[node]["support"].split(";") if s],
            "direction": graph.nodes[node]["direction"],
            "quality": graph.nodes[node]["quality"],
        }
        for node in alters
    ]
    from_file = metrics.compute(members, alter_graph.edges())
    assert (
        (from_file["density"], from_file["isolates"], from_file["components"])
        == (density, isolates, components)
        == (round(2 * 2 / (4 * 3), 4), 1, 2)
    )

    html = client.get(url("map")).content.decode()
    for key in (
        "size",
        "ties",
        "density",
        "isolates",
        "components",
        "diversity",
        "formal_share",
        "reciprocal",
        "weekly_or_more",
        "effective_size",
        "constraint",
    ):
        from networks.presenters import format_metric

        shown = f'data-metric="{key}">{format_metric(key, from_file[key])}<'
        assert shown in html, key


def test_graphml_with_real_labels_names_the_person(client_for, owner, url, family_map, person):
    graph = nx.read_graphml(
        io.BytesIO(download(client_for(owner), url("export"), "graphml", real=True))
    )
    assert graph.nodes["ego"]["label"] == person.preferred_name
    assert {a["label"] for _n, a in graph.nodes(data=True)} >= {"Mum", "Dad"}


def test_unknown_export_type_gets_a_clear_error(client_for, owner, url, family_map):
    response = client_for(owner).post(url("export"), {"what": "pdf"})
    assert response.status_code == 200
    assert "Choose a download from the list." in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_network_summaries_use_three_queries_whatever_the_number_of_people(
    owner, team_a, person, django_assert_num_queries
):
    def make(count):
        people = [ServiceUserFactory(team=team_a, allocated_worker=owner) for _ in range(count)]
        for someone in people:
            NetworkMemberFactory(service_user=someone)
            NetworkMemberFactory(service_user=someone)
            services.snapshot_take(
                service_user=someone, label="Baseline", by=owner, is_baseline=True
            )
            NetworkMemberFactory(service_user=someone, ended_on=timezone.localdate())
            services.snapshot_take(service_user=someone, label="Review", by=owner)
        return [p.pk for p in people]

    few = make(2) + [person.pk]
    with django_assert_num_queries(3):
        summaries = network_summaries(few)
    assert summaries[few[0]]["active_members"] == 2
    assert summaries[few[0]]["has_baseline"] is True
    assert summaries[few[0]]["baseline_size"] == 2
    assert summaries[few[0]]["snapshot_count"] == 2
    assert summaries[few[0]]["latest_snapshot_at"] is not None
    assert summaries[person.pk] == {
        "active_members": 0,
        "has_baseline": False,
        "baseline_size": None,
        "snapshot_count": 0,
        "latest_snapshot_at": None,
    }
    many = few + make(20)
    with django_assert_num_queries(3):
        assert len(network_summaries(many)) == 23
    with django_assert_num_queries(0):
        assert network_summaries([]) == {}


def test_snapshots_for_lists_newest_first(owner, person):
    first = services.snapshot_take(service_user=person, label="One", by=owner)
    second = services.snapshot_take(service_user=person, label="Two", by=owner)
    assert list(snapshots_for(person)) == [second, first]


def test_export_file_names_carry_the_reference_never_the_name(client_for, owner, url, person):
    person.reference = "NF 0042/b"
    person.save()
    response = client_for(owner).post(url("export"), {"what": "members_csv"})
    disposition = response["Content-Disposition"]
    assert "network-members-NF-0042-b-" in disposition
    assert person.preferred_name not in disposition


def test_export_without_a_reference_names_the_record_by_its_id(client_for, owner, url, person):
    response = client_for(owner).post(url("export"), {"what": "graphml"})
    disposition = response["Content-Disposition"]
    assert f"network-map-record-{person.public_id.hex[:8]}-" in disposition
    assert person.preferred_name not in disposition
