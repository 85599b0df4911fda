import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team

from .stages import Stage
from .validators import validate_not_in_future, validate_uk_phone, validate_uk_postcode


class Status(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", "Goals met, moved on"
    DECLINED = "declined", "Person chose to stop"
    NO_CONTACT = "no_contact", "Could not be contacted"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    TRANSFERRED = "transferred", "Transferred to another service"
    NOT_ELIGIBLE = "not_eligible", "Not eligible for the service"
    DIED = "died", "Died"
    OTHER = "other", "Other"


class ServiceUser(models.Model):
    """A person supported through the Connecting People Intervention.

    Read and change these only through :mod:`caseload.access`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        "organisation reference",
        max_length=30,
        unique=True,
        null=True,
        blank=True,
        help_text="Your organisation's case or NHS reference, if it has one.",
    )
    preferred_name = models.CharField(
        max_length=100, help_text="The name the person likes to be called."
    )
    full_name = models.CharField(max_length=200, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    phone = models.CharField(max_length=20, blank=True, validators=[validate_uk_phone])
    email = models.EmailField(max_length=254, blank=True)
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_uk_postcode])

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="service_users")
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocated_people"
    )
    co_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_worked_people"
    )

    referral_date = models.DateField(
        default=timezone.localdate, validators=[validate_not_in_future]
    )
    referral_source = models.CharField(
        max_length=120, blank=True, help_text="Who referred the person, e.g. GP, CMHT, self."
    )
    referral_reason = models.TextField(max_length=4000, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REFERRED)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REFERRAL)

    consent_to_take_part = models.BooleanField(
        null=True, blank=True, help_text="Leave unanswered until you have asked."
    )
    consent_date = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sharing_agreement = models.TextField(
        "what the person agreed to share",
        max_length=4000,
        blank=True,
        help_text="Who the person is happy for information to be shared with, in their words.",
    )
    what_matters = models.TextField(
        "what matters to me",
        max_length=4000,
        blank=True,
        help_text="In the person's own words.",
    )

    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    ending_summary = models.TextField(max_length=6000, blank=True)

    # Kept up to date by caseload.services whenever sessions change, so lists can
    # filter and sort on them without a per-row query.
    last_contact_on = models.DateField(null=True, blank=True, editable=False)
    next_contact_on = models.DateField(null=True, blank=True, editable=False)

    # Issued with the blank "add a person" form, so a second submission of the
    # same form finds the first record instead of creating a duplicate.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["preferred_name", "id"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["allocated_worker", "status"]),
            models.Index(fields=["last_contact_on"]),
            models.Index(fields=["preferred_name"]),
        ]

    def __str__(self):
        return self.preferred_name

    def get_absolute_url(self):
        return reverse("caseload:person", kwargs={"public_id": self.public_id})

    @property
    def is_closed(self):
        return self.status == Status.CLOSED

    @property
    def age(self):
        if not self.date_of_birth:
            return None
        today = timezone.localdate()
        dob = self.date_of_birth
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


class StageChange(models.Model):
    """One move in the cycle: who moved the person, from where, to where, and why."""

    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=2000, blank=True)
    missing_evidence = models.JSONField(
        default=list, blank=True, help_text="Evidence that was missing when the move was made."
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.get_from_stage_display() or 'start'} → {self.get_to_stage_display()}"


class Allocation(models.Model):
    """A change of allocated worker."""

    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="allocations"
    )
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.from_worker or 'nobody'} → {self.to_worker}"


class SessionKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    HOME_VISIT = "home_visit", "Home visit"
    COMMUNITY_OUTING = "community_outing", "Community outing"
    GROUP = "group", "Group"
    MESSAGE = "message", "Message"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class Session(models.Model):
    """One contact with the person: the session log."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="sessions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_sessions"
    )
    date = models.DateField(validators=[validate_not_in_future])
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        validators=[MinValueValidator(1), MaxValueValidator(12 * 60)],
    )
    kind = models.CharField("type", max_length=20, choices=SessionKind.choices)
    stage = models.CharField("stage worked on", max_length=20, choices=Stage.choices)
    what_we_did = models.TextField(max_length=6000, blank=True)
    how_it_went = models.TextField(
        "what the person said / how it went", max_length=6000, blank=True
    )
    next_steps = models.TextField("agreed next steps", max_length=4000, blank=True)
    next_session_on = models.DateField("next session date", null=True, blank=True)
    resources_used = models.ManyToManyField(
        "toolkit.Resource",
        blank=True,
        related_name="sessions",
        help_text="Toolkit resources used in this session.",
    )

    # A token issued with the blank form; a second submission of the same form
    # finds the first session instead of creating another.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        indexes = [models.Index(fields=["service_user", "-date"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%d %B %Y}"

    @property
    def is_contact(self):
        return self.kind != SessionKind.DID_NOT_ATTEND


class AuditEvent(models.Model):
    """Who viewed or changed a person's record, and when. Never the content."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        REALLOCATE = "reallocate", "Reallocated"
        STAGE = "stage", "Moved stage"
        CLOSE = "close", "Closed"
        REOPEN = "reopen", "Reopened"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.SET_NULL, null=True, related_name="audit_events"
    )
    object_type = models.CharField(max_length=60, help_text="What was touched, e.g. session.")
    object_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list, blank=True, help_text="Names of changed fields.")
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["service_user", "-at"])]

    def __str__(self):
        return f"{self.actor} {self.get_action_display().lower()} {self.object_type}"
