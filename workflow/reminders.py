"""Daily reminder digests for workers: overdue contacts, reviews due, steps overdue,
measures due and risk alerts past their review date."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import active_workers

from .facts import people_with_facts
from .models import ReminderDigest
from .selectors import my_caseload


@dataclass
class Digest:
    user: object
    no_contact: list = field(default_factory=list)
    review_due: list = field(default_factory=list)
    overdue_steps: list = field(default_factory=list)
    measures_due: list = field(default_factory=list)
    alerts_to_review: list = field(default_factory=list)

    @property
    def count(self):
        return (
            len(self.no_contact)
            + len(self.review_due)
            + len(self.overdue_steps)
            + len(self.measures_due)
            + len(self.alerts_to_review)
        )


def digest_for(user):
    digest = Digest(user=user)
    for person, person_facts in people_with_facts(my_caseload(user), evidence=False):
        if person_facts.no_contact:
            digest.no_contact.append(person)
        if person_facts.review_due:
            digest.review_due.append(person)
        if person_facts.overdue_steps:
            digest.overdue_steps.append((person, person_facts.overdue_steps))
        if person_facts.measures_due:
            digest.measures_due.append(person)
        # Annotated by safety.selectors.with_alert_flags (no query of its own).
        if getattr(person, "alerts_review_due", 0):
            digest.alerts_to_review.append(person)
    return digest


def send_digests(*, base_url, today=None, dry_run=False):
    """Email each active worker with something to do; at most one email a day each.

    Returns (sent, skipped_already_sent, nothing_to_say).
    """
    today = today or timezone.localdate()
    sent = already = empty = 0
    for user in active_workers():
        if not user.email:
            empty += 1
            continue
        if ReminderDigest.objects.filter(user=user, sent_on=today).exists():
            already += 1
            continue
        digest = digest_for(user)
        if not digest.count:
            empty += 1
            continue
        if dry_run:
            sent += 1
            continue
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(user=user, sent_on=today, item_count=digest.count)
                context = {
                    "digest": digest,
                    "base_url": base_url.rstrip("/"),
                    "board_url": reverse("workflow:board"),
                    "no_contact_days": settings.CONNECTING_PEOPLE["NO_CONTACT_DAYS"],
                }
                send_mail(
                    subject=f"Connecting People: {digest.count} thing"
                    f"{'s' if digest.count != 1 else ''} to follow up",
                    message=render_to_string("workflow/reminder_email.txt", context),
                    from_email=None,
                    recipient_list=[user.email],
                )
        except IntegrityError:
            already += 1  # another run got there first
            continue
        sent += 1
    return sent, already, empty
