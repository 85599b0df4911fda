"""A median that runs in the database on PostgreSQL, with a SQLite fallback.

PostgreSQL's ordered-set aggregates compute medians in SQL. SQLite has none;
callers check ``supports_median()`` and there take the median in Python from
one column of values, which is fine for the small databases SQLite serves.
(Figures with one value per person, such as network growth, take the median
in Python on both: a team's values are few.)
"""

from django.db import connection
from django.db.models import Aggregate


class MedianValue(Aggregate):
    """The lower middle value of any sortable column, e.g. a date
    (PostgreSQL ``percentile_disc``); its type is the column's."""

    function = "percentile_disc"
    name = "MedianValue"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def supports_median():
    return connection.vendor == "postgresql"
