"""“My week”: the worker's planned contacts for the next seven days and the
ones whose planned date has passed, by day."""

import datetime

from django.utils import timezone

from safety.selectors import with_alert_flags

from .selectors import my_caseload

DAYS = 7


def my_week(user, *, people=None, today=None):
    """The week's plan for ``user``. ``people``: their open cases already read
    (the board has them), so no query; otherwise one query."""
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=DAYS - 1)
    if people is None:
        people = with_alert_flags(my_caseload(user).filter(next_contact_on__lte=last))
    planned = sorted(
        (p for p in people if p.next_contact_on and p.next_contact_on <= last),
        key=lambda p: (p.next_contact_on, p.preferred_name.lower(), p.pk),
    )
    overdue, by_day = [], {today + datetime.timedelta(days=n): [] for n in range(DAYS)}
    for person in planned:
        if person.next_contact_on < today:
            overdue.append(person)
        else:
            by_day[person.next_contact_on].append(person)
    return {
        "today": today,
        "last": last,
        "overdue": overdue,
        "days": [{"date": day, "people": people} for day, people in by_day.items()],
        "total": len(planned),
    }
