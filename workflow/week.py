"""“My week”: the worker's planned contacts for the next seven days and the
ones whose planned date has passed, by day (one query)."""

import datetime

from django.utils import timezone

from .selectors import my_caseload

DAYS = 7


def my_week(user, *, today=None):
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=DAYS - 1)
    people = (
        my_caseload(user)
        .filter(next_contact_on__lte=last)
        .order_by("next_contact_on", "preferred_name", "id")
    )
    overdue, by_day = [], {today + datetime.timedelta(days=n): [] for n in range(DAYS)}
    for person in people:
        if person.next_contact_on < today:
            overdue.append(person)
        else:
            by_day[person.next_contact_on].append(person)
    return {
        "today": today,
        "last": last,
        "overdue": overdue,
        "days": [{"date": day, "people": people} for day, people in by_day.items()],
        "total": len(overdue) + sum(len(p) for p in by_day.values()),
    }
