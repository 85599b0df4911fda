"""Text search that uses PostgreSQL full-text search there and LIKE elsewhere.

``Resource`` and ``Service`` keep a ``search_text`` column (everything a person
might search for, kept up to date on save). On PostgreSQL, migration 0004 adds a
stored, GIN-indexed ``search_vector`` column generated from it, queried here with
``websearch_to_tsquery`` (so "walking group", quoted phrases and -not work) and
ranked with ``ts_rank`` on a small ``rank_vector`` (title A, summary and tags B;
migration 0005), so matches in the title come first. On SQLite every word must
appear (case-insensitive).
"""

from django.db import connection
from django.db.models import BooleanField, FloatField, Q
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200


def search_vector():
    """The expression migration 0003 indexed (kept so that migration still runs)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("search_text", config=SEARCH_CONFIG)


def clean_query(text):
    """Words of a search, whitespace collapsed, bounded. A NUL character is dropped:
    PostgreSQL refuses it in any string (a typed or pasted one was a 500)."""
    return " ".join((text or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def _tsquery_sql():
    return "websearch_to_tsquery(%s::regconfig, %s)"


def search(queryset, text, *, rank_first=True):
    """Filter ``queryset`` (of a model with ``search_text``) to rows matching ``text``."""
    text = clean_query(text)
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        column = f'"{table}"."search_vector"'
        params = (SEARCH_CONFIG, text)
        # The SQL text is ours (table name from the model); the user's words are parameters.
        matches = RawSQL(  # noqa: S611
            f"{column} @@ {_tsquery_sql()}", params, output_field=BooleanField()
        )
        queryset = queryset.filter(matches)
        if rank_first:
            ordering = [str(field) for field in queryset.query.order_by] or list(
                queryset.model._meta.ordering
            )
            rank = RawSQL(  # noqa: S611
                f'ts_rank("{table}"."rank_vector", {_tsquery_sql()})',
                params,
                output_field=FloatField(),
            )
            queryset = queryset.annotate(search_rank=rank).order_by("-search_rank", *ordering)
        return queryset
    condition = Q()
    for word in text.split()[:10]:
        condition &= Q(search_text__icontains=word.strip("\"'"))
    return queryset.filter(condition)
