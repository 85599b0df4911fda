"""From the directory to a person, and what happened after: referrals.

A worker suggests a directory listing to someone they support (linking it to
one of the person's goals, or adding it to their network map); each suggestion
is a ``Referral`` whose status then moves on (contacted, tried, still going, or
stopped with a reason), from the person's pages or with a session.

Per listing, workers and curators see how many people were suggested it, tried
it and were still going three months after trying it, each figure shown as
"fewer than 5" under five people; a listing many tried and few stayed with is
flagged for review. The toolkit shows this on its service page through the
panel this app registers (``toolkit.panels``): the toolkit knows no person.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from caseload.audit import Action, audit_record
from core.conflicts import save_if_current
from core.idempotency import create_once
from core.per_person import PerPerson
from goals.services import goal_add_opportunity
from networks.services import member_create
from toolkit.selectors import unverified_since

from .models import Referral, ReferralStatus, ReferralUpdate

STEPS = [
    ReferralStatus.SUGGESTED,
    ReferralStatus.CONTACTED,
    ReferralStatus.TRIED,
    ReferralStatus.STILL_GOING,
]
STAYED_DAYS = 91  # "still going after three months"
SUPPRESS_UNDER = 5  # figures about fewer people are shown as "fewer than 5"
FLAG_MIN_TRIED = 5  # a listing is flagged once at least this many tried it…
FLAG_MAX_STAYED_SHARE = 0.25  # …and at most this share of them stayed


def _format(date):
    return f"{date:%-d %B %Y}"


# Changes ------------------------------------------------------------------------


def referral_suggest(
    *, service_user, service, by, goal=None, add_to_map=False, submission_token=None, request=None
):
    """Suggest ``service`` to the person: record the referral and link it to
    ``goal`` or add it to the person's map. Returns ``(referral, created)``;
    the same form sent twice creates one referral."""
    if not service.can_be_suggested:
        raise ValidationError(
            "This listing is withdrawn or not running, so it cannot be suggested.", code="closed"
        )
    if goal is not None and goal.service_user_id != service_user.pk:
        raise ValidationError("Choose one of this person's goals.", code="goal")

    def build(token):
        member = None
        if add_to_map:
            member = member_create(
                service_user=service_user,
                data={
                    "kind": "group",
                    "label": service.name[:60],
                    "sector": "community",
                    "ring": 3,
                    "frequency": "rarely",
                    "opportunity": service,
                    "notes": "Suggested from the community directory.",
                },
                by=by,
                request=request,
            )
        if goal is not None:
            goal_add_opportunity(goal=goal, service=service, by=by, request=request)
        referral = Referral.objects.create(
            service_user=service_user,
            service=service,
            goal=goal,
            member=member,
            created_by=by,
            submission_token=token,
        )
        ReferralUpdate.objects.create(
            referral=referral, status=ReferralStatus.SUGGESTED, on=referral.suggested_on, by=by
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            service_user=service_user,
            obj=referral,
            fields=[
                "service",
                "status",
                *(["goal"] if goal else []),
                *(["member"] if member else []),
            ],
            request=request,
        )
        return referral

    with transaction.atomic():
        return create_once(
            Referral,
            submission_token=submission_token,
            belongs=lambda record: record.service_user_id == service_user.pk,
            build=build,
        )


def check_status_change(referral, *, status, on, stop_reason="", today=None):
    """Field errors ({field: message}) for moving ``referral`` to ``status`` on ``on``."""
    today = today or timezone.localdate()
    errors = {}
    if status not in ReferralStatus.values:
        return {"status": "Choose what happened from the list."}
    if referral.status == ReferralStatus.STOPPED:
        errors["status"] = (
            "This suggestion has stopped. Suggest the listing again to start a new one."
        )
    elif status == referral.status:
        errors["status"] = f"It is already “{referral.get_status_display()}”."
    elif status != ReferralStatus.STOPPED and STEPS.index(status) < STEPS.index(referral.status):
        errors["status"] = (
            f"It is already at “{referral.get_status_display()}”, which comes after "
            f"“{ReferralStatus(status).label}”. Choose a later step, or “Stopped”."
        )
    if on is None:
        errors["on"] = "Enter the date it happened."
    elif on > today:
        errors["on"] = "The date cannot be in the future."
    else:
        latest = max(
            (d for d in (referral.date_of(s) for s in STEPS) if d is not None),
            default=referral.suggested_on,
        )
        if on < referral.suggested_on:
            errors["on"] = (
                f"It was suggested on {_format(referral.suggested_on)}; this step cannot come "
                "before that."
            )
        elif on < latest:
            errors["on"] = f"The last step was on {_format(latest)}; this cannot come before it."
    if status == ReferralStatus.STOPPED and not stop_reason:
        errors["stop_reason"] = "Say why they stopped."
    return errors


@transaction.atomic
def referral_change_status(
    *, referral, status, on, by, expected_version, stop_reason="", session=None, request=None
):
    """Move a referral on. Raises ValidationError with field errors when the
    change is out of order, and StaleEdit when someone changed it meanwhile."""
    errors = check_status_change(referral, status=status, on=on, stop_reason=stop_reason)
    if errors:
        raise ValidationError(errors)
    values = {"status": status}
    if status == ReferralStatus.STOPPED:
        values["stopped_on"] = on
        values["stop_reason"] = stop_reason
        values["stayed_three_months"] = bool(
            referral.tried_on and (on - referral.tried_on).days >= STAYED_DAYS
        )
    else:
        values[f"{status}_on"] = on
        if status == ReferralStatus.STILL_GOING and referral.tried_on is None:
            values["tried_on"] = on  # still going means they tried it
    referral.version = save_if_current(
        Referral, pk=referral.pk, version=expected_version, values=values
    )
    for name, value in values.items():
        setattr(referral, name, value)
    ReferralUpdate.objects.create(
        referral=referral,
        status=status,
        on=on,
        stop_reason=stop_reason if status == ReferralStatus.STOPPED else "",
        session=session,
        by=by,
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=referral.service_user,
        obj=referral,
        fields=sorted(values),
        request=request,
    )
    return referral


# Reads ----------------------------------------------------------------------------


def referrals_for(service_user):
    """The person's referrals, newest first, with their listing and goal."""
    return Referral.objects.filter(service_user=service_user).select_related(
        "service", "goal", "service_user"
    )


def get_referral(service_user, public_id):
    from django.http import Http404

    try:
        return referrals_for(service_user).get(public_id=public_id)
    except (Referral.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such suggestion") from exc


def updates_for(service_user):
    """Every step of the person's referrals, newest first (for the journey)."""
    return (
        ReferralUpdate.objects.filter(referral__service_user=service_user)
        .select_related("referral__service", "by", "session")
        .order_by("-on", "-recorded_at", "-id")
    )


def stayed_q(today=None, prefix=""):
    """Still going three months after trying it (or stopped after that long)."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=STAYED_DAYS)
    return Q(
        **{f"{prefix}status": ReferralStatus.STILL_GOING, f"{prefix}tried_on__lte": cutoff}
    ) | Q(**{f"{prefix}status": ReferralStatus.STOPPED, f"{prefix}stayed_three_months": True})


def shown(count):
    """A figure about people as shown: "fewer than 5" under five."""
    return f"fewer than {SUPPRESS_UNDER}" if count < SUPPRESS_UNDER else str(count)


def is_flagged(tried, stayed):
    return tried >= FLAG_MIN_TRIED and stayed <= tried * FLAG_MAX_STAYED_SHARE


def service_outcomes(service, *, today=None):
    """People suggested, tried and still going after three months, for one listing.

    One query. Raw counts are returned for the flag only; pages show ``shown``.
    """
    counts = Referral.objects.filter(service=service).aggregate(
        suggested=Count("service_user", distinct=True),
        tried=Count("service_user", filter=Q(tried_on__isnull=False), distinct=True),
        stayed=Count("service_user", filter=stayed_q(today), distinct=True),
    )
    return {
        "suggested": shown(counts["suggested"]),
        "tried": shown(counts["tried"]),
        "stayed": shown(counts["stayed"]),
        "flagged": is_flagged(counts["tried"], counts["stayed"]),
        "any": counts["suggested"] > 0,
    }


def _count(queryset, field="service_id"):
    return Coalesce(
        Subquery(
            queryset.order_by().values(field).annotate(n=Count("*")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def needs_checking(*, sort="used", today=None):
    """Current listings due a check (never checked, or not in the last year) or
    flagged for review, with how often each is used: suggestions, goals and
    network maps that link to it. Ordered by use (most first) then by the age of
    the last check, or (``sort="checked"``) oldest check first."""
    from goals.selectors import opportunity_links
    from networks.selectors import opportunity_members
    from toolkit.selectors import current_services

    today = today or timezone.localdate()
    mine = Referral.objects.filter(service=OuterRef("pk"))
    people = (
        mine.order_by()
        .values("service_id")
        .annotate(n=Count("service_user", distinct=True))
        .values("n")[:1]
    )
    tried = mine.filter(tried_on__isnull=False)
    stayed = mine.filter(stayed_q(today))

    def distinct_people(queryset):
        return Coalesce(
            Subquery(
                queryset.order_by()
                .values("service_id")
                .annotate(n=Count("service_user", distinct=True))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    listings = current_services().annotate(
        suggestions=_count(mine),
        people=Coalesce(Subquery(people, output_field=IntegerField()), Value(0)),
        tried_count=distinct_people(tried),
        stayed_count=distinct_people(stayed),
        goal_links=_count(opportunity_links().filter(service_id=OuterRef("pk"))),
        map_links=_count(
            opportunity_members().filter(opportunity_id=OuterRef("pk")), "opportunity_id"
        ),
    )
    listings = listings.annotate(uses=F("suggestions") + F("goal_links") + F("map_links"))
    flagged = Q(tried_count__gte=FLAG_MIN_TRIED) & Q(
        stayed_count__lte=F("tried_count") * FLAG_MAX_STAYED_SHARE
    )
    due = Q(assured_date__isnull=True) | Q(assured_date__lt=unverified_since())
    listings = listings.filter(due | flagged)
    checked_first = F("assured_date").asc(nulls_first=True)
    if sort == "checked":
        return listings.order_by(checked_first, "-uses", "name", "id")
    return listings.order_by("-uses", checked_first, "name", "id")


# The public id of a suggestion the person tried (a tried date, or a step
# recorded with a session: a session at or about the opportunity), for practice
# fidelity.
TRIED_REFERRAL = PerPerson(
    records=lambda: Referral.objects.filter(
        Q(tried_on__isnull=False) | Q(updates__session__isnull=False)
    ),
    person="service_user_id",
    value="public_id",
    order=("suggested_on", "id"),
)
