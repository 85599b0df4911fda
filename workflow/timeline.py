"""One timeline of a person's journey: sessions, stage moves, network snapshots,
goal reviews and the steps of directory suggestions, newest first."""

from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone

from accounts.selectors import name_fields
from caseload.selectors import session_table_for, stage_history_for
from core.links import person_link
from goals.selectors import reviews_for
from networks.selectors import snapshots_for

KINDS = {
    "session": "Sessions",
    "stage": "Stage moves",
    "snapshot": "Network snapshots",
    "review": "Goal reviews",
    "referral": "Suggestions",
}


@dataclass
class Event:
    kind: str
    when: datetime
    title: str
    detail: str = ""
    url: str = ""

    @property
    def kind_label(self):
        return KINDS[self.kind][:-1]


def _as_datetime(value):
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


SESSION_URL = person_link("caseload:session", "session_id")
SNAPSHOT_URL = person_link("networks:snapshot", "snapshot_id")
REVIEW_URL = person_link("goals:review", "review_id")
REFERRAL_URL = person_link("workflow:referral", "referral_id")


def _own_group_note(session):
    """The person's own note of a group session (never the group's other people's)."""
    return f". {session.what_we_did[:200]}" if session.group_id and session.what_we_did else ""


def _session_events(service_user, limit):
    sessions = session_table_for(service_user, "what_we_did")
    for session in sessions[:limit]:
        when = datetime.combine(session.date, session.start_time or time.min)
        yield Event(
            kind="session",
            when=timezone.make_aware(when),
            title=(
                f"Group session ({session.duration_minutes} min)"
                if session.group_id
                else f"{session.get_kind_display()} session ({session.duration_minutes} min)"
            ),
            # A group session shows this person's own note, never anyone else's.
            detail=(
                f"Logged by {session.author}; stage: {session.get_stage_display()}"
                + _own_group_note(session)
            ),
            url=SESSION_URL.for_person(service_user, session.public_id),
        )


def _stage_events(service_user, limit):
    changes = stage_history_for(service_user)
    for change in changes[:limit]:
        detail = f"By {change.changed_by}"
        if change.note:
            detail += f": {change.note}"
        yield Event(
            kind="stage",
            when=change.changed_at,
            title=f"Moved to {change.get_to_stage_display()}"
            + (f" from {change.get_from_stage_display()}" if change.from_stage else ""),
            detail=detail,
        )


def _snapshot_events(service_user, limit):
    snapshots = snapshots_for(service_user).defer("data", "metrics")
    for snapshot in snapshots[:limit]:
        kind = "Baseline snapshot" if snapshot.is_baseline else "Network snapshot"
        yield Event(
            kind="snapshot",
            when=snapshot.taken_at,
            title=f"{kind}: {snapshot.label}",
            detail=f"{snapshot.member_count} in the map, {snapshot.tie_count} links"
            + (f"; taken by {snapshot.taken_by}" if snapshot.taken_by else "; taken automatically"),
            url=SNAPSHOT_URL.for_person(service_user, snapshot.public_id),
        )


def _review_events(service_user, limit):
    reviews = (
        reviews_for(service_user)
        .prefetch_related(None)
        .select_related(None)
        .select_related("reviewed_by")
        .only("public_id", "reviewed_at", "t_score", *name_fields("reviewed_by"))
    )
    for review in reviews[:limit]:
        score = "no score" if review.t_score is None else f"T-score {review.t_score:.2f}"
        yield Event(
            kind="review",
            when=review.reviewed_at,
            title=f"Goals reviewed ({score})",
            detail=f"By {review.reviewed_by}",
            url=REVIEW_URL.for_person(service_user, review.public_id),
        )


def _referral_events(service_user, limit):
    from .referrals import updates_for

    updates = updates_for(service_user).only(
        "on",
        "status",
        "stop_reason",
        "referral__public_id",
        "referral__service__name",
        "session__date",
        *name_fields("by"),
    )
    for update in updates[:limit]:
        referral = update.referral
        title = f"“{referral.service.name}”: {update.get_status_display().lower()}"
        if update.stop_reason:
            title += f" ({update.get_stop_reason_display().lower()})"
        detail = f"Recorded by {update.by}" if update.by else "Recorded"
        if update.session_id:
            detail += f" with the session of {update.session.date:%-d %B %Y}"
        yield Event(
            kind="referral",
            when=update.on,
            title=title,
            detail=detail,
            url=REFERRAL_URL.for_person(service_user, referral.public_id),
        )


SOURCES = {
    "session": _session_events,
    "stage": _stage_events,
    "snapshot": _snapshot_events,
    "review": _review_events,
    "referral": _referral_events,
}


def journey_timeline(service_user, *, kinds=None, limit=50):
    """The newest ``limit`` events of the chosen kinds (all kinds by default).

    Each source returns at most ``limit`` rows, so the work is bounded whatever
    the length of the person's history.
    """
    kinds = [kind for kind in (kinds or KINDS) if kind in SOURCES]
    events = []
    for kind in kinds:
        events.extend(SOURCES[kind](service_user, limit))
    events.sort(key=lambda event: _as_datetime(event.when), reverse=True)
    return events[:limit]
