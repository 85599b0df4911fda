"""Reads of a person's network. Every function takes a person already fetched
through :mod:`caseload.access`; objects are looked up *through* that person, so
another person's member, tie or snapshot in a URL is a 404."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from core.per_person import PerPerson, annotate_only

from . import metrics
from .models import NetworkMember, Snapshot, Tie


def members_for(service_user, *, include_ended=False):
    members = NetworkMember.objects.filter(service_user=service_user).select_related("opportunity")
    if not include_ended:
        members = members.active()
    return members


def ties_for(service_user, *, active_only=True):
    """Ties on the person's map (by default only those between two active members)."""
    ties = Tie.objects.filter(service_user=service_user).select_related("member_a", "member_b")
    if active_only:
        ties = ties.filter(member_a__ended_on__isnull=True, member_b__ended_on__isnull=True)
    return ties.order_by("member_a__label", "member_b__label", "id")


def tie_pairs(service_user):
    """``(public id a, public id b)`` for ties between two active members: what the
    map needs, without loading the members twice over."""
    return (
        Tie.objects.filter(
            service_user=service_user,
            member_a__ended_on__isnull=True,
            member_b__ended_on__isnull=True,
        )
        .order_by("id")
        .values_list("member_a__public_id", "member_b__public_id")
    )


def snapshots_for(service_user):
    """The person's snapshots, newest first."""
    return Snapshot.objects.filter(service_user=service_user).select_related("taken_by")


def baseline_and_latest(service_user):
    """``(baseline, latest snapshot)``, either possibly ``None``, in one query."""
    latest = (
        Snapshot.objects.filter(service_user=service_user)
        .order_by("-taken_at", "-id")
        .values("id")[:1]
    )
    found = list(
        Snapshot.objects.filter(service_user=service_user).filter(
            Q(is_baseline=True) | Q(pk=Subquery(latest))
        )
    )
    baseline = next((s for s in found if s.is_baseline), None)
    newest = max(found, key=lambda s: (s.taken_at, s.pk), default=None)
    return baseline, newest


def baseline_for(service_user):
    return Snapshot.objects.filter(service_user=service_user, is_baseline=True).first()


def _get(queryset, public_id, what):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(f"No such {what}") from exc


def get_member(service_user, public_id):
    return _get(members_for(service_user, include_ended=True), public_id, "member")


def get_tie(service_user, public_id):
    return _get(ties_for(service_user, active_only=False), public_id, "link")


def get_snapshot(service_user, public_id):
    return _get(snapshots_for(service_user), public_id, "snapshot")


def member_data(member):
    """A member as plain data: what metrics need, what a snapshot freezes."""
    return {
        "id": str(member.public_id),
        "label": member.label,
        "kind": member.kind,
        "sector": member.sector,
        "ring": member.ring,
        "frequency": member.frequency,
        "support": list(member.support),
        "direction": member.direction,
        "quality": member.quality,
        "known_since": member.known_since,
        "opportunity": member.opportunity.name if member.opportunity_id else "",
        "added_on": member.added_on.isoformat(),
    }


def map_data(service_user, *, members=None, ties=None):
    """The current map as plain data: ``{"members": [...], "ties": [[a, b], ...]}``
    (active members only; ids are member public ids as strings). Two queries, or
    none when the caller passes members and :func:`tie_pairs` it already read."""
    members = list(members_for(service_user) if members is None else members)
    pairs = list(tie_pairs(service_user) if ties is None else ties)
    return {
        "members": [member_data(member) for member in members],
        "ties": [[str(a), str(b)] for a, b in pairs],
    }


def baseline_ids(baseline):
    if baseline is None:
        return None
    return [member["id"] for member in baseline.data.get("members", [])]


def compute_metrics(data, baseline=None):
    return metrics.compute(data["members"], data["ties"], baseline_ids=baseline_ids(baseline))


def network_summaries(service_user_ids):
    """For each id in ``service_user_ids`` (ids the caller may already see): a dict
    with ``active_members``, ``has_baseline``, ``baseline_size``, ``snapshot_count``
    and ``latest_snapshot_at``. Three aggregate queries, whatever the number of ids.
    """
    ids = list(service_user_ids)
    summaries = {
        pk: {
            "active_members": 0,
            "has_baseline": False,
            "baseline_size": None,
            "snapshot_count": 0,
            "latest_snapshot_at": None,
        }
        for pk in ids
    }
    if not ids:
        return summaries
    active = (
        NetworkMember.objects.filter(service_user_id__in=ids, ended_on__isnull=True)
        .values("service_user_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in active:
        summaries[row["service_user_id"]]["active_members"] = row["n"]
    snapshots = (
        Snapshot.objects.filter(service_user_id__in=ids)
        .values("service_user_id")
        .annotate(n=Count("id"), latest=Max("taken_at"))
        .order_by()
    )
    for row in snapshots:
        summary = summaries[row["service_user_id"]]
        summary["snapshot_count"] = row["n"]
        summary["latest_snapshot_at"] = row["latest"]
    baselines = Snapshot.objects.filter(
        Q(service_user_id__in=ids) & Q(is_baseline=True)
    ).values_list("service_user_id", "member_count")
    for pk, member_count in baselines:
        summaries[pk]["has_baseline"] = True
        summaries[pk]["baseline_size"] = member_count
    return summaries


def with_network_size(people):
    """Annotate a ServiceUser queryset with ``network_size`` (active members now)
    and ``baseline_size`` (members in the baseline snapshot, None without one)."""
    active = (
        NetworkMember.objects.filter(service_user=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("service_user")
        .annotate(n=Count("id"))
        .values("n")
    )
    baseline = Snapshot.objects.filter(service_user=OuterRef("pk"), is_baseline=True).values(
        "member_count"
    )[:1]
    return people.annotate(
        network_size=Coalesce(Subquery(active), Value(0)),
        baseline_size=Subquery(baseline),
    )


def baseline_and_current_sizes(people):
    """``(members in the baseline, active members now)`` for each of ``people`` (a
    ServiceUser queryset) with a baseline snapshot, in one grouped query: the
    members are joined and counted once per person, not looked up per row, so
    its cost stays low (and under PostgreSQL's JIT threshold) for a whole team."""
    active = Q(service_user__network_members__ended_on__isnull=True)
    return (
        Snapshot.objects.filter(is_baseline=True, service_user__in=people)
        .annotate(network_size=Count("service_user__network_members", filter=active))
        .order_by()
        .values_list("member_count", "network_size")
    )


def with_baseline_flag(people):
    """Annotate a ServiceUser queryset with ``has_baseline`` (a baseline snapshot
    exists), in the same query."""
    return people.annotate(
        has_baseline=Exists(Snapshot.objects.filter(service_user=OuterRef("pk"), is_baseline=True))
    )


def with_network_evidence(people, *, only=None):
    """Annotate a ServiceUser queryset, each a boolean, with ``has_network_member``
    (an active member on the map), ``has_follow_up_snapshot`` (a snapshot besides
    the baseline; see :func:`with_baseline_flag` for the baseline) and
    ``has_member_opportunity`` (a member linked to a community opportunity); with
    ``only`` (names), just those of them."""
    person = OuterRef("pk")
    evidence = {
        "has_network_member": lambda: Exists(
            NetworkMember.objects.filter(service_user=person).active()
        ),
        "has_follow_up_snapshot": lambda: Exists(
            Snapshot.objects.filter(service_user=person, is_baseline=False)
        ),
        "has_member_opportunity": lambda: Exists(
            NetworkMember.objects.filter(service_user=person, opportunity__isnull=False)
        ),
    }
    return annotate_only(people, evidence, only)


def opportunity_members():
    """Map entries that came through a directory listing (``opportunity_id``),
    for counting how often a listing is used; no person data is read."""
    return NetworkMember.objects.filter(opportunity__isnull=False)


# Practice fidelity (workflow.fidelity): figures per person, read grouped for many
# people or as subqueries of the people's own query (core.per_person).


def _after_a_baseline():
    """Whether a baseline of the same person was taken before the snapshot (the
    outer query's): earlier, or at the same time and recorded first."""
    return Exists(
        Snapshot.objects.filter(service_user=OuterRef("service_user"), is_baseline=True).filter(
            Q(taken_at__lt=OuterRef("taken_at"))
            | Q(taken_at=OuterRef("taken_at"), id__lt=OuterRef("id"))
        )
    )


# The public id of the person's baseline snapshot (their first, if several).
BASELINE_SNAPSHOT = PerPerson(
    records=lambda: Snapshot.objects.filter(is_baseline=True),
    person="service_user_id",
    value="public_id",
    order=("taken_at", "id"),
)
# The public id of their latest re-map: a snapshot taken after a baseline, to
# compare with it.
REMAP_SNAPSHOT = PerPerson(
    records=lambda: Snapshot.objects.filter(is_baseline=False).filter(_after_a_baseline()),
    person="service_user_id",
    value="public_id",
    order=("-taken_at", "-id"),
)
# The public id of a map member who came through a community opportunity.
OPPORTUNITY_MEMBER = PerPerson(
    records=lambda: NetworkMember.objects.filter(opportunity__isnull=False),
    person="service_user_id",
    value="public_id",
    order=("added_on", "id"),
)
