"""A figure per person read from one definition in two ways: for many people in
one grouped query, or as a subquery that annotates the people's own query.

Practice fidelity reads a dozen such figures (a person's baseline snapshot, a goal
with its levels, their steps…). For a team of thousands each is best read once,
grouped (:meth:`PerPerson.grouped`); for a board's few dozen cards or one person's
journey, a dozen separate queries cost more to build than to run, so the same
figures go into the people's query as subqueries (:meth:`PerPerson.annotation`),
one query in all. Both read the same records in the same order, so they agree.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


@dataclass(frozen=True)
class PerPerson:
    """The first record's ``value`` per person, by ``order`` (or, with ``counts``,
    how many records each filter matches).

    ``records``: a function returning the records' queryset (called each time, so
    it may depend on the date). ``person``: the path from a record to the
    person's id, such as ``"service_user_id"`` or ``"goal__service_user_id"``.
    ``counts``: ``{name: Q}``; the figure is then a tuple of counts, in that order.
    """

    records: Callable[[], QuerySet]
    person: str
    value: str = "pk"
    order: tuple = ("pk",)
    counts: dict = field(default_factory=dict)

    def grouped(self, ids):
        """``{person id: figure}`` for ``ids`` (a list or a queryset of ids) with
        any record, in one query."""
        records = self.records().filter(**{f"{self.person}__in": ids})
        if self.counts:
            rows = (
                records.order_by()
                .values(self.person)
                .annotate(**{name: Count("pk", filter=q) for name, q in self.counts.items()})
                .values_list(self.person, *self.counts)
            )
            return {pk: tuple(figures) for pk, *figures in rows}
        found = {}
        rows = records.order_by(self.person, *self.order).values_list(self.person, self.value)
        for pk, value in rows:
            found.setdefault(pk, value)
        return found

    def annotation(self, name):
        """``{annotation name: expression}`` for a ServiceUser queryset: the figure
        as one annotation (``name``), or with ``counts`` one per count
        (``name_count``), 0 for none."""
        records = self.records().filter(**{self.person: OuterRef("pk")})
        if not self.counts:
            return {name: Subquery(records.order_by(*self.order).values(self.value)[:1])}
        return {
            f"{name}_{count}": Coalesce(
                Subquery(
                    records.filter(q)
                    .order_by()
                    .values(self.person)
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            )
            for count, q in self.counts.items()
        }

    def read(self, row, name):
        """The figure from a row annotated with :meth:`annotation` (a dict of
        values), None when the person has no record."""
        if not self.counts:
            return row[name]
        figures = tuple(row[f"{name}_{count}"] for count in self.counts)
        return figures if any(figures) else None


def annotate_only(people, figures, only=None):
    """``people`` annotated, in one ``annotate()``, with ``figures``
    (``{name: function returning the expression}``), or with ``only`` those
    named: a page that needs two of a dozen figures builds two subqueries, not
    twelve. Unknown names in ``only`` are an error, so a typing slip cannot read
    as a figure that is always false."""
    if only is None:
        chosen = figures
    else:
        unknown = set(only) - set(figures)
        if unknown:
            raise ValueError(f"Unknown figures: {', '.join(sorted(unknown))}.")
        chosen = {name: make for name, make in figures.items() if name in only}
    if not chosen:
        return people
    return people.annotate(**{name: make() for name, make in chosen.items()})
