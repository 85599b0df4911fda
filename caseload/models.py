import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Team
from core.links import person_link

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

    # "Do not destroy" (an inquiry, a complaint, safeguarding): never erased, by
    # request or by the retention schedule, while set. Supervisors set and clear
    # it; each change is kept in LegalHoldChange.
    legal_hold = models.BooleanField(default=False, editable=False)

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
            # A team's caseload by name (a supervisor's list and search): read in
            # order and stopped at the page, not the whole team sorted.
            models.Index(fields=["team", "preferred_name", "id"], name="person_team_name"),
        ]

    def __str__(self):
        return self.preferred_name

    def get_absolute_url(self):
        # Reversed once per process and filled in: lists link hundreds of people.
        return person_link("caseload:person").for_person(self)

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


class GroupSession(models.Model):
    """One session with several people (a walking group, a visit to a community
    group). Each attendee has an ordinary :class:`Session` linked here, holding
    their own note, so contact dates, timelines and data rights work as for any
    session. The group's notes are about the group only: nothing personal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_group_sessions"
    )
    date = models.DateField(validators=[validate_not_in_future])
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        validators=[MinValueValidator(1), MaxValueValidator(12 * 60)],
    )
    place = models.CharField(
        max_length=200, blank=True, help_text="Where it happened, if not a directory listing."
    )
    opportunity = models.ForeignKey(
        "toolkit.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_sessions",
        verbose_name="community opportunity",
    )
    notes = models.TextField(
        "notes about the group",
        max_length=6000,
        blank=True,
        help_text="What the group did. Nothing personal: each person's own note goes below.",
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-start_time", "-id"]

    def __str__(self):
        return f"Group session on {self.date:%d %B %Y}"


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

    group = models.ForeignKey(
        GroupSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="attendances",
        help_text="The group session this person's session was part of.",
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
        ERASE = "erase", "Erased"

    # The largest table (a row per page view of a person). Its indexes follow
    # its real queries, and no more, so each INSERT stays cheap: a person's log
    # and an actor's trail, both newest first by (at, id) for keyset paging; on
    # PostgreSQL a BRIN index on ``at`` for retention's "older than" (tiny,
    # because rows arrive in time order; a btree on SQLite). See
    # migrations/0006_audit_indexes_for_volume.py and the README's plans.
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,  # led by audit_actor_time
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    service_user = models.ForeignKey(
        ServiceUser,
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_events",
        db_index=False,  # led by audit_person_time
    )
    object_type = models.CharField(max_length=60, help_text="What was touched, e.g. session.")
    object_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list, blank=True, help_text="Names of changed fields.")
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    # Set when the person was erased: the event keeps who and when (and the kind
    # of record touched), linked to the tombstone instead of the person.
    erasure = models.ForeignKey(
        "ErasureRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["service_user", "-at", "-id"], name="audit_person_time"),
            models.Index(fields=["actor", "-at", "-id"], name="audit_actor_time"),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_action_display().lower()} {self.object_type}"


# --------------------------------------------------------------------------
# Data rights: legal holds, subject access, erasure and retention
# --------------------------------------------------------------------------


class LegalHoldChange(models.Model):
    """A legal hold set on or cleared from a person: who, when and why."""

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", "An inquiry"
        COMPLAINT = "complaint", "A complaint"
        SAFEGUARDING = "safeguarding", "Safeguarding"
        LEGAL = "legal", "Legal proceedings"
        OTHER = "other", "Other"

    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="legal_hold_changes"
    )
    on_hold = models.BooleanField(help_text="True when the hold was set, False when cleared.")
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    reason = models.TextField(max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return "Legal hold set" if self.on_hold else "Legal hold cleared"


class SubjectAccessRequest(models.Model):
    """A request from the person (or someone acting for them) for a copy of
    everything held about them. Due one calendar month after it was received."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="access_requests"
    )
    received_on = models.DateField("date received", validators=[validate_not_in_future])
    requested_by = models.CharField(
        "who asked",
        max_length=200,
        help_text="The person themselves, or who is acting for them and how they are related.",
    )
    identity_check = models.TextField(
        "how their identity was checked",
        max_length=2000,
        help_text="For example: seen in person with photo ID; letter of authority checked.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    answered_on = models.DateField("date the copy was sent", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"Subject access request received {self.received_on:%-d %B %Y}"

    @property
    def due_on(self):
        from .subject_access import one_calendar_month_after

        return one_calendar_month_after(self.received_on)

    @property
    def is_open(self):
        return self.answered_on is None

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open and self.due_on < today


def _copy_path(instance, filename):
    return f"private/subject-access/{uuid.uuid4().hex}.zip"


class SubjectAccessCopy(models.Model):
    """One prepared copy (a ZIP) for a subject access request. Downloaded only
    by supervisors of the person's team; each preparation and download is audited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="copies"
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to=_copy_path, max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    third_parties_shown = models.BooleanField(default=False)
    third_parties_reason = models.TextField(
        "why third parties' names are shown", max_length=2000, blank=True
    )

    class Meta:
        ordering = ["-prepared_at", "-id"]

    def __str__(self):
        return f"Copy prepared {timezone.localtime(self.prepared_at):%-d %B %Y, %H:%M}"


class LegalBasis(models.TextChoices):
    NO_LONGER_NEEDED = (
        "no_longer_needed",
        ("No longer needed for the purpose it was collected for (Article 17(1)(a))"),
    )
    CONSENT_WITHDRAWN = (
        "consent_withdrawn",
        ("Consent withdrawn and no other lawful basis (Article 17(1)(b))"),
    )
    OBJECTION = "objection", "Objection upheld, no overriding legitimate grounds (Article 17(1)(c))"
    UNLAWFUL = "unlawful", "Processed unlawfully (Article 17(1)(d))"
    LEGAL_OBLIGATION = (
        "legal_obligation",
        ("Erasure needed to meet a legal obligation (Article 17(1)(e))"),
    )
    RETENTION = "retention", "The agency's retention schedule"


class ErasureRequest(models.Model):
    """A request to erase a person's record, its decision and, once carried
    out, the tombstone: the reference, dates, who requested and approved, and why.

    After erasure nothing here points to the person (``service_user`` is empty);
    the audit events of the record point here instead.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved, not yet carried out"
        REFUSED = "refused", "Refused"
        ERASING = "erasing", "Being erased"
        ERASED = "erased", "Erased"

    class Source(models.TextChoices):
        REQUEST = "request", "Request"
        RETENTION = "retention", "Retention schedule"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.REQUEST)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    legal_basis = models.CharField(max_length=30, choices=LegalBasis.choices)
    reason = models.TextField(max_length=2000)

    # What the tombstone keeps about the record (copied when it is erased).
    reference = models.CharField(max_length=40)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team_name = models.CharField(max_length=120, blank=True)
    referral_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    record_created_on = models.DateField(null=True, blank=True)
    sections_erased = models.JSONField(
        default=list, blank=True, help_text="The person-data sections whose erasers ran."
    )

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=2000, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "-requested_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user"],
                condition=Q(status__in=["pending", "approved", "erasing"]),
                name="one_open_erasure_request_per_person",
            )
        ]

    def __str__(self):
        return f"Erasure of {self.reference} ({self.get_status_display().lower()})"


class RetentionRun(models.Model):
    """One run of ``apply_retention``: the report for administrators."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    schedule = models.JSONField(default=dict)
    people_erased = models.PositiveIntegerField(default=0)
    audit_events_removed = models.PositiveIntegerField(default=0)
    held_back = models.PositiveIntegerField(
        default=0, help_text="People past their retention date but under a legal hold."
    )
    entries = models.JSONField(
        default=list, blank=True, help_text="Reference, rule and reason for each erasure."
    )
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Retention run {timezone.localtime(self.started_at):%-d %B %Y, %H:%M}"


class PersonDataVersion(models.Model):
    """A number for each person that moves on whenever anything about them
    changes: any insert, update or delete of a row of theirs in any table of
    the record. Database triggers keep it (:mod:`caseload.data_versions`), so
    no write path can miss it; the app only reads it, to know whether a page
    part it kept for someone's people is still true.

    No foreign key and nothing but the number: it says nothing about the person.
    """

    person_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "caseload_person_data_version"

    def __str__(self):
        return f"Person {self.person_id}: version {self.version}"
