"""Query conditions the ORM has no words for."""

from django.db.models import BooleanField, Lookup


class InSmallSubquery(Lookup):
    """``value IN (subquery)`` for a subquery of a handful of rows that is OR-ed
    with an indexed condition (the people a worker co-works, beside those
    allocated to them).

    On PostgreSQL it is written ``value = ANY(ARRAY(subquery))``: the subquery
    runs once, first, and its ids are looked up in the index, so
    ``allocated = me OR id = ANY(…)`` reads two indexes and combines them. Written
    as ``IN (subquery)`` there, the planner filters every row of the team
    against the subquery instead. Elsewhere (SQLite) it is ``IN (subquery)``.

    Used as an expression: ``filter(InSmallSubquery(F("pk"), queryset.values("id")))``.
    """

    lookup_name = "in_small_subquery"
    output_field = BooleanField()

    def as_sql(self, compiler, connection, template="{lhs} IN {rhs}"):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return template.format(lhs=lhs, rhs=rhs), [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="{lhs} = ANY(ARRAY{rhs})")
