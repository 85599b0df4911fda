"""A person's social network map (DESIGN.md §3): members, ties between them and
frozen snapshots.

Everything here belongs to one ``caseload.ServiceUser``; fetch it through that
person (see :mod:`networks.selectors`) so another person's member in a URL is a 404.
Third-party data is minimised: a member has a label (first name, initials or a
role), never a surname, address or phone number.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from caseload.models import ServiceUser


class Kind(models.TextChoices):
    PERSON = "person", "Person"
    GROUP = "group", "Group"
    PLACE = "place", "Place"
    ACTIVITY = "activity", "Activity"


class Sector(models.TextChoices):
    HOUSEHOLD = "household", "Household"
    FAMILY = "family", "Family"
    FRIENDS = "friends", "Friends"
    WORK_EDUCATION = "work_education", "Work and education"
    COMMUNITY = "community", "Community (clubs, groups, faith)"
    NEIGHBOURS = "neighbours", "Neighbours"
    SERVICES = "services", "Services (formal, professional)"


# Short names for the map's wedges and for pseudonymised labels ("Family 1").
SECTOR_SHORT = {
    Sector.HOUSEHOLD: "Household",
    Sector.FAMILY: "Family",
    Sector.FRIENDS: "Friends",
    Sector.WORK_EDUCATION: "Work/education",
    Sector.COMMUNITY: "Community",
    Sector.NEIGHBOURS: "Neighbours",
    Sector.SERVICES: "Services",
}
SECTOR_ROLE = {
    Sector.HOUSEHOLD: "Household",
    Sector.FAMILY: "Family",
    Sector.FRIENDS: "Friend",
    Sector.WORK_EDUCATION: "Work or education",
    Sector.COMMUNITY: "Community",
    Sector.NEIGHBOURS: "Neighbour",
    Sector.SERVICES: "Service",
}


class Ring(models.IntegerChoices):
    INNER = 1, "Inner (life without them is hard to imagine)"
    MIDDLE = 2, "Middle"
    OUTER = 3, "Outer"


RING_SHORT = {1: "Inner", 2: "Middle", 3: "Outer"}


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    FEW_TIMES_A_YEAR = "few_times_a_year", "A few times a year"
    RARELY = "rarely", "Rarely"


class Support(models.TextChoices):
    EMOTIONAL = "emotional", "Emotional"
    PRACTICAL = "practical", "Practical"
    INFORMATION = "information", "Information"
    COMPANIONSHIP = "companionship", "Companionship"


class Direction(models.TextChoices):
    BOTH_WAYS = "both_ways", "Both ways"
    THEY_HELP = "they_help", "They help the person"
    PERSON_HELPS = "person_helps", "The person helps them"


class Quality(models.TextChoices):
    POSITIVE = "positive", "Positive"
    MIXED = "mixed", "Mixed"
    STRESSFUL = "stressful", "Stressful"


def validate_support(value):
    if not isinstance(value, list) or any(code not in Support.values for code in value):
        raise ValidationError(
            "Choose support types from the list.", code="invalid_support", params={"value": value}
        )


class NetworkMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)


class NetworkMember(models.Model):
    """Someone or something in a person's life: a person, group, place or activity."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="network_members"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    label = models.CharField(
        "name or role",
        max_length=60,
        help_text=(
            "What the person calls them: a first name, initials or a role "
            "(for example “Sam”, “J.B.” or “GP”). No surnames, addresses or phone numbers."
        ),
    )
    sector = models.CharField(max_length=20, choices=Sector.choices)
    ring = models.PositiveSmallIntegerField(
        "closeness",
        choices=Ring.choices,
        default=Ring.MIDDLE,
        help_text="Inner: life without them is hard to imagine.",
    )
    frequency = models.CharField(
        "how often they are in contact", max_length=20, choices=Frequency.choices
    )
    support = models.JSONField(
        "support they give the person",
        default=list,
        blank=True,
        validators=[validate_support],
    )
    direction = models.CharField(
        "direction of help",
        max_length=20,
        choices=Direction.choices,
        default=Direction.BOTH_WAYS,
    )
    quality = models.CharField(
        "how the relationship feels",
        max_length=20,
        choices=Quality.choices,
        default=Quality.POSITIVE,
        help_text="Stressful ties are drawn dashed on the map.",
    )
    known_since = models.PositiveSmallIntegerField(
        "known since (year)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    opportunity = models.ForeignKey(
        "toolkit.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_members",
        verbose_name="opportunity this came through",
        help_text="The directory opportunity through which this connection came about, if any.",
    )
    notes = models.TextField(
        max_length=1000,
        blank=True,
        help_text="Anything useful for the work. Do not record addresses or phone numbers.",
    )
    added_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField("why it ended", max_length=200, blank=True)
    # When this third party asked to be taken off the person's map: their name
    # was replaced by a pseudonym here and in every snapshot.
    name_removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A token issued with the blank "add" form: a second submission finds the first member.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        ordering = ["ring", "sector", "label", "id"]
        indexes = [models.Index(fields=["service_user", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ring__in=[1, 2, 3]), name="networks_member_ring_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("added_on")),
                name="networks_member_ends_after_added",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_active(self):
        return self.ended_on is None

    def support_labels(self):
        return [Support(code).label for code in self.support if code in Support.values]


class Tie(models.Model):
    """Two members of the same map know each other. One row per unordered pair:
    ``member_a`` always has the smaller primary key, so (a, b) and (b, a) collide
    in the unique constraint, and a member cannot be tied to itself."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="+")
    member_a = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="+")
    member_b = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_a", "member_b"], name="networks_tie_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(member_a__lt=F("member_b")), name="networks_tie_ordered_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.member_a_id}–{self.member_b_id}"


class SnapshotImmutable(Exception):
    """Raised on any attempt to change or delete a snapshot."""


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SnapshotImmutable("Snapshots cannot be changed.")

    def delete(self):
        raise SnapshotImmutable("Snapshots cannot be deleted.")


class Snapshot(models.Model):
    """The map frozen at a moment (a baseline, each review), with its metrics.

    Immutable: saving an existing snapshot, or deleting one, raises
    :class:`SnapshotImmutable`. The law comes first in two cases, both in
    :mod:`networks.persondata` and nowhere else: erasing the person removes
    their snapshots, and a third party who asks to be removed from the map has
    their name replaced by a pseudonym in every snapshot (see
    :func:`snapshot_rows_for_data_protection`).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="network_snapshots"
    )
    label = models.CharField(max_length=80)
    is_baseline = models.BooleanField(default=False)
    automatic = models.BooleanField(
        default=False, help_text="Taken by the system when the person left the assess stage."
    )
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # {"members": [{id, label, kind, sector, ring, ...}], "ties": [[id_a, id_b], ...]}
    data = models.JSONField(default=dict)
    metrics = models.JSONField(default=dict)
    member_count = models.PositiveIntegerField(default=0)
    tie_count = models.PositiveIntegerField(default=0)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["service_user", "-taken_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user"],
                condition=Q(is_baseline=True),
                name="networks_one_baseline_per_person",
            )
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise SnapshotImmutable("Snapshots cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotImmutable("Snapshots cannot be deleted.")


def snapshot_rows_for_data_protection(*service_users):
    """The snapshots of these people, without the immutability guard.

    Only for what data-protection law requires (erasing the person, replacing a
    third party's name at their request): see :mod:`networks.persondata`.
    """
    return models.QuerySet(Snapshot).filter(service_user__in=service_users)
