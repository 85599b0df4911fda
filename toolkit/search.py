"""Text search that uses PostgreSQL full-text search there and LIKE elsewhere.

Both ``Resource`` and ``Service`` keep a ``search_text`` column (everything a
person might search for, kept up to date on save). On PostgreSQL a GIN index on
``to_tsvector('english', search_text)`` answers ``websearch`` queries; on SQLite
every word must appear (case-insensitive).
"""

from django.db import connection
from django.db.models import Q

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200


def search_vector():
    """The expression indexed by migration 0003 and queried below (keep them equal)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("search_text", config=SEARCH_CONFIG)


def clean_query(text):
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


def search(queryset, text, *, rank_first=True):
    """Filter ``queryset`` (of a model with ``search_text``) to rows matching ``text``."""
    text = clean_query(text)
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        queryset = queryset.annotate(search_document=search_vector()).filter(search_document=query)
        if rank_first:
            ordering = [str(field) for field in queryset.query.order_by] or list(
                queryset.model._meta.ordering
            )
            queryset = queryset.annotate(search_rank=SearchRank(search_vector(), query)).order_by(
                "-search_rank", *ordering
            )
        return queryset
    condition = Q()
    for word in text.split()[:10]:
        condition &= Q(search_text__icontains=word.strip("\"'"))
    return queryset.filter(condition)
