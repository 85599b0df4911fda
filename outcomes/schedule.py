"""When the next measure is due: a calendar number of months after the last.

One rule, used by the person's page (:func:`due_on`, :func:`is_due`) and by the
board's one annotated query (:func:`latest_date_still_due`), so both agree.
"""

import calendar
import datetime


def add_months(day, months):
    """``day`` moved by ``months`` calendar months (31 August + 6 → 28 or 29 February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(last_on, months):
    """The day the next measure is due after one completed on ``last_on``."""
    return add_months(last_on, months)


def is_due(last_on, months, today):
    return due_on(last_on, months) <= today


def latest_date_still_due(today, months):
    """The latest completion date whose next measure is due by ``today``: a last
    result on or before it is due. (:func:`add_months` is not one-to-one at the
    ends of months, so this steps forward from the obvious candidate.)"""
    day = add_months(today, -months)
    while is_due(day + datetime.timedelta(days=1), months, today):
        day += datetime.timedelta(days=1)
    while not is_due(day, months, today):
        day -= datetime.timedelta(days=1)
    return day
