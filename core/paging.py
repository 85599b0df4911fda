"""Paging lists (rendered by ``templates/core/_pagination.html``): by page number
(:func:`paginate`) for lists of bounded size, by keyset (:func:`keyset_page`) for
lists that grow without end."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db.models import Count, Q, Window
from django.db.models.query import ModelIterable, ValuesIterable

TOTAL = "paging_total"


class _Paginator(Paginator):
    """Django's paginator, except that the first page and the count are read in
    one query: ``COUNT(*) OVER ()`` beside each row of the page, so the list's
    filter is worked out once rather than for the rows and again for
    ``COUNT(*)`` (a search over a team's caseload scans it once). A page with
    fewer rows than a page is its own count; an empty list counts 0. Lists this
    cannot be done for (DISTINCT, a union, already sliced, rows as tuples or
    not a queryset) are counted as Django does. Rows as dicts (``values()``)
    carry the count as ``paging_total``."""

    def first_page(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        kind = getattr(queryset, "_iterable_class", None)
        if kind not in (ModelIterable, ValuesIterable) or (
            query.distinct or query.combinator or query.is_sliced
        ):
            rows = list(queryset[: self.per_page])
            if len(rows) < self.per_page:
                self.__dict__["count"] = len(rows)  # the cached_property's value
            return self._get_page(rows, 1, self)
        rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[: self.per_page])
        if not rows:
            total = 0
        else:
            total = rows[0][TOTAL] if kind is ValuesIterable else getattr(rows[0], TOTAL)
        self.__dict__["count"] = total
        return self._get_page(rows, 1, self)


def paginate(request, queryset, per_page):
    """The page of ``queryset`` asked for by ``?page=``.

    A page number that is not a number gives the first page, one past the end
    the last page: a bad link never answers an error. The template expects the
    result as ``page_obj``.
    """
    return page_of(queryset, per_page, request.GET.get("page"))


def page_of(queryset, per_page, number=None):
    """:func:`paginate` for a page number in hand (``?page=``'s value, or None
    for the first page)."""
    paginator = _Paginator(queryset, per_page)
    if number in (None, "", "1"):
        return paginator.first_page()
    return paginator.get_page(number)


# --------------------------------------------------------------------------
# Keyset paging, for lists that grow without end (audit, refused requests)
# --------------------------------------------------------------------------
#
# OFFSET paging reads and throws away every row before the page, and the page
# count needs a COUNT(*) of the whole list: both grow with the table. A keyset
# page starts from the last row seen instead: "older than (time, id)" is one
# range scan of an index on (…, time, id), however deep the page. The links are
# "Newer" and "Older" with an opaque cursor; there are no page numbers and no
# total. A cursor that cannot be read (edited, truncated, from an old link)
# gives the first page, never an error.

CURSOR_PARAM = "cursor"
OLDER, NEWER = "o", "n"


@dataclass
class KeysetPage:
    """One page of a keyset-paged list, newest first. ``page_obj`` in the
    shared pagination partial (``keyset`` tells it which links to draw)."""

    object_list: list
    has_newer: bool
    has_older: bool
    newer_cursor: str = ""
    older_cursor: str = ""
    keyset = True

    @property
    def is_first(self):
        return not self.has_newer

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def encode_cursor(direction, when, pk):
    raw = json.dumps([direction, when.isoformat(), pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """``(direction, time, id)``, or None for anything that is not a cursor we made."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, when, pk = json.loads(raw)
        when = datetime.fromisoformat(when)
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error):
        return None
    if direction not in (OLDER, NEWER) or type(pk) is not int or when.tzinfo is None:
        return None
    return direction, when, pk


def keyset_page(request, queryset, per_page, *, time_field="at"):
    """The page of ``queryset`` (newest first by ``time_field``, then id) that
    ``?cursor=`` asks for. Two queries at most: the page itself (one row more
    than shown, to know whether there is another) and, only when "Newer" runs
    off the top, the first page. No COUNT."""
    position = decode_cursor(request.GET.get(CURSOR_PARAM))
    newest_first = queryset.order_by(f"-{time_field}", "-pk")
    if position is None:
        return _page(newest_first[: per_page + 1], per_page, time_field, has_newer=False)
    direction, when, pk = position
    # at <= t narrows the index range; the OR settles ties on time by id.
    if direction == OLDER:
        rows = newest_first.filter(
            Q(**{f"{time_field}__lte": when}),
            Q(**{f"{time_field}__lt": when}) | Q(pk__lt=pk),
        )
        return _page(rows[: per_page + 1], per_page, time_field, has_newer=True)
    rows = list(
        queryset.filter(
            Q(**{f"{time_field}__gte": when}),
            Q(**{f"{time_field}__gt": when}) | Q(pk__gt=pk),
        ).order_by(time_field, "pk")[: per_page + 1]
    )
    if len(rows) <= per_page:  # back at the top: show a whole first page
        return _page(newest_first[: per_page + 1], per_page, time_field, has_newer=False)
    rows = rows[:per_page][::-1]
    return _page(rows, per_page, time_field, has_newer=True, has_older=True)


def _page(rows, per_page, time_field, *, has_newer, has_older=None):
    rows = list(rows)
    if has_older is None:
        has_older = len(rows) > per_page
        rows = rows[:per_page]
    page = KeysetPage(object_list=rows, has_newer=has_newer and bool(rows), has_older=has_older)
    if rows:
        first, last = rows[0], rows[-1]
        page.newer_cursor = encode_cursor(NEWER, getattr(first, time_field), first.pk)
        page.older_cursor = encode_cursor(OLDER, getattr(last, time_field), last.pk)
    return page


class KeysetChangeList(ChangeList):
    """The Django admin's change list, keyset-paged (newest first by
    ``keyset_time_field`` on the ModelAdmin, default ``at``). Use it with
    ``get_changelist`` and ``sortable_by = ()`` (the order is fixed), and show
    ``{% include "core/_pagination.html" with page_obj=cl.keyset_page %}``."""

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(CURSOR_PARAM, None)
        return lookup_params

    def get_results(self, request):
        time_field = getattr(self.model_admin, "keyset_time_field", "at")
        page = keyset_page(request, self.queryset, self.list_per_page, time_field=time_field)
        self.keyset_page = page
        self.result_list = page.object_list
        self.result_count = len(page.object_list)
        self.full_result_count = None
        self.show_full_result_count = False
        self.show_admin_actions = True
        self.can_show_all = False
        self.multi_page = page.has_newer or page.has_older
        self.paginator = None
