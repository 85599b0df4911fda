"""Working safely in the community: risk and safety alerts on a person's record,
and lone-working check-ins (switched on per team)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Team
from caseload.models import ServiceUser


class AlertCategory(models.TextChoices):
    LONE_WORKING = "lone_working", "Lone working"
    ENVIRONMENT = "environment", "Environment at the address"
    HEALTH = "health", "Health"
    BEHAVIOUR = "behaviour", "Behaviour"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    OTHER = "other", "Other"


class RiskAlertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class RiskAlert(models.Model):
    """A risk or safety alert about working with a person: the situation and
    what to do. Never shown in the summary for the person, never exported
    (only the subject access copy holds it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="risk_alerts"
    )
    category = models.CharField(max_length=20, choices=AlertCategory.choices)
    situation = models.TextField(
        "the situation",
        max_length=1000,
        help_text=(
            "Describe the situation, not the person: for example “a large dog at the "
            "address” or “may find crowded places distressing”."
        ),
    )
    what_to_do = models.TextField(
        "what to do",
        max_length=2000,
        help_text="What a worker should do: for example “visit in pairs” or “meet at the library”.",
    )
    review_on = models.DateField(
        "review date", help_text="When this alert should be looked at again."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    end_reason = models.TextField("why it ended", max_length=1000, blank=True, editable=False)

    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(
                fields=["service_user"],
                condition=models.Q(ended_at__isnull=True),
                name="active_alerts_by_person",
            )
        ]

    def __str__(self):
        return f"{self.get_category_display()} alert"

    @property
    def is_active(self):
        return self.ended_at is None

    def review_overdue(self, today=None):
        return self.is_active and self.review_on < (today or timezone.localdate())


class TeamSafetySettings(models.Model):
    """A team's safety settings: whether its workers use lone-working check-ins."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="safety_settings")
    check_ins_enabled = models.BooleanField("use lone-working check-ins", default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "team safety settings"

    def __str__(self):
        return f"Safety settings of {self.team}"


OVERDUE_AFTER_MINUTES = 30


class LoneWorkingCheckIn(models.Model):
    """Before a visit or outing: where the worker is going, with whom, and when
    they expect to be back. "I'm back" closes it; one still open 30 minutes after
    the expected time is overdue and shown to the team's supervisors."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="check_ins")
    service_user = models.ForeignKey(
        ServiceUser,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="check_ins",
        verbose_name="person you are seeing",
    )
    where = models.CharField(
        "where you are going",
        max_length=200,
        help_text="An address or a place someone could find you, such as “Oak Road library”.",
    )
    with_whom = models.CharField(
        "who you are with",
        max_length=200,
        help_text="First names or initials, or “on my own”.",
    )
    started_at = models.DateTimeField(default=timezone.now)
    expected_back_at = models.DateTimeField("expected back")
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(
                fields=["team", "expected_back_at"],
                condition=models.Q(closed_at__isnull=True),
                name="open_check_ins_by_team",
            )
        ]

    def __str__(self):
        return f"Check-in of {self.worker} at {self.started_at:%d %B %Y %H:%M}"

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def overdue_at(self):
        return self.expected_back_at + datetime.timedelta(minutes=OVERDUE_AFTER_MINUTES)

    def is_overdue(self, now=None):
        return self.is_open and (now or timezone.now()) >= self.overdue_at
