import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderDigest(models.Model):
    """A reminder digest sent to a worker on a day, so a second run that day
    sends nothing more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests"
    )
    sent_on = models.DateField()
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_digest_per_day"),
        ]

    def __str__(self):
        return f"Digest for {self.user} on {self.sent_on}"


class ReferralStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONTACTED = "contacted", "Contacted the group"
    TRIED = "tried", "Tried it"
    STILL_GOING = "still_going", "Still going"
    STOPPED = "stopped", "Stopped"


class StopReason(models.TextChoices):
    NOT_FOR_THEM = "not_for_them", "It was not for them"
    GETTING_THERE = "getting_there", "Hard to get there or take part"
    COST = "cost", "The cost"
    HEALTH = "health", "Health or confidence got in the way"
    LISTING = "listing", "The group changed, moved or closed"
    MOVED_ON = "moved_on", "Moved on to something else"
    OTHER = "other", "Another reason"


class Referral(models.Model):
    """A directory listing suggested to a person, and what happened after.

    The status moves forward through suggested → contacted → tried → still
    going, or to stopped (with a reason) from any of them; each step's date is
    kept, and each change is a ``ReferralUpdate`` (shown in the journey). A
    listing can be suggested to the same person again after they stopped.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        "caseload.ServiceUser", on_delete=models.CASCADE, related_name="referrals"
    )
    service = models.ForeignKey(
        "toolkit.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    goal = models.ForeignKey(
        "goals.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    member = models.ForeignKey(
        "networks.NetworkMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SUGGESTED
    )
    suggested_on = models.DateField(default=timezone.localdate)
    contacted_on = models.DateField(null=True, blank=True)
    tried_on = models.DateField(null=True, blank=True)
    still_going_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    # Set when it stops: had they kept going for three months after trying it?
    stayed_three_months = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-suggested_on", "-id"]
        indexes = [
            models.Index(fields=["service", "status"]),
            models.Index(fields=["service_user", "status"]),
        ]

    def __str__(self):
        return f"{self.service} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status != ReferralStatus.STOPPED

    def date_of(self, status):
        return getattr(self, f"{status}_on")


class ReferralUpdate(models.Model):
    """One step of a referral: its status from a date, who recorded it and, when
    recorded with a session, which session."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    on = models.DateField()
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    session = models.ForeignKey(
        "caseload.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral_updates",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-recorded_at", "-id"]

    def __str__(self):
        return f"{self.referral.service}: {self.get_status_display()} on {self.on}"


class FidelityQuestionnaire(models.Model):
    """A fidelity self-assessment questionnaire loaded from a definition (see
    ``workflow.self_assessment``). A changed definition of a loaded code becomes
    its next ``version``; answers keep the version they were given on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(max_length=40, unique=True, editable=False)
    name = models.CharField(max_length=200, editable=False)
    definition = models.JSONField(editable=False)
    checksum = models.CharField(max_length=64, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    active = models.BooleanField(
        default=True, help_text="Offered for new self-assessments. Answers already given stay."
    )
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def parsed(self):
        from .self_assessment import parse

        return parse(self.definition, source=self.code)


class Respondent(models.TextChoices):
    WORKER = "worker", "The worker"
    PERSON = "person", "The person (answers recorded by the worker)"


class FidelitySelfAssessment(models.Model):
    """One completed self-assessment about the practice with one person: the
    worker's own, or the person's answers recorded by the worker."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        "caseload.ServiceUser", on_delete=models.CASCADE, related_name="fidelity_self_assessments"
    )
    questionnaire = models.ForeignKey(
        FidelityQuestionnaire, on_delete=models.PROTECT, related_name="assessments"
    )
    questionnaire_version = models.PositiveIntegerField(default=1)
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    completed_on = models.DateField(default=timezone.localdate)
    answers = models.JSONField(default=dict, help_text="{item id: option value or null}")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The worker whose practice it is about (the allocated worker then).",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["service_user", "respondent", "-completed_on"])]

    def __str__(self):
        return f"{self.questionnaire} by {self.get_respondent_display()} on {self.completed_on}"
