import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property

CURATORS_GROUP = "Curators"


def shown_name(first_name, last_name, username):
    """A user's name as the product shows it (``str(user)``): their full name, or
    their username when they have none. Lists that read names as values call it
    without building each user."""
    return f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    """A person who signs in: worker, supervisor, curator or administrator.

    Team roles come from :class:`TeamMembership`; curating the toolkit comes from
    the ``accounts.curate_toolkit`` permission (normally through the Curators group).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone = models.CharField(
        "work phone",
        max_length=20,
        blank=True,
        help_text="A number your supervisor can ring if you do not check back in after a visit.",
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        permissions = [("curate_toolkit", "Can curate the toolkit and community directory")]

    def __str__(self):
        return shown_name(self.first_name, self.last_name, self.username)

    @cached_property
    def _memberships(self):
        return list(self.memberships.select_related("team"))

    @property
    def worker_team_ids(self):
        return {m.team_id for m in self._memberships if m.role == TeamMembership.Role.WORKER}

    @property
    def supervised_team_ids(self):
        return {m.team_id for m in self._memberships if m.role == TeamMembership.Role.SUPERVISOR}

    @property
    def member_team_ids(self):
        """Teams where the user is a worker or a supervisor."""
        return {m.team_id for m in self._memberships}

    @property
    def agency_ids(self):
        """Agencies of the user's teams (memberships load their team, so no query)."""
        return {m.team.agency_id for m in self._memberships}

    @property
    def teams(self):
        return sorted({m.team for m in self._memberships}, key=lambda t: t.name)

    @property
    def supervised_teams(self):
        return sorted(
            {m.team for m in self._memberships if m.role == TeamMembership.Role.SUPERVISOR},
            key=lambda t: t.name,
        )

    @property
    def is_worker(self):
        return bool(self.worker_team_ids)

    @property
    def is_supervisor(self):
        return bool(self.supervised_team_ids)

    @property
    def is_curator(self):
        return self.is_active and self.has_perm("accounts.curate_toolkit")

    @property
    def role_codes(self):
        """The user's roles as codes: worker, supervisor, curator, admin."""
        roles = set()
        if self.is_worker:
            roles.add("worker")
        if self.is_supervisor:
            roles.add("supervisor")
        if self.is_curator:
            roles.add("curator")
        if self.is_staff:
            roles.add("admin")
        return roles

    @property
    def role_labels(self):
        labels = []
        if self.is_supervisor:
            labels.append("Supervisor")
        if self.is_worker:
            labels.append("Worker")
        if self.is_curator:
            labels.append("Toolkit curator")
        if self.is_staff:
            labels.append("Administrator")
        return labels


class Agency(models.Model):
    """An organisation that runs teams: an NHS trust, a council, a charity (DESIGN §2, §10).

    The study found third-sector agencies more outward-facing than statutory ones,
    so the sector is recorded for reports to compare. The directory organisation an
    agency corresponds to is linked from ``community`` (which may read the toolkit;
    accounts may not).
    """

    class Sector(models.TextChoices):
        NHS_MENTAL_HEALTH = "nhs_mental_health", "NHS mental health"
        LOCAL_AUTHORITY = "local_authority", "Local authority social care"
        VOLUNTARY = "voluntary", "Voluntary or community organisation"
        SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
        HOUSING_ASSOCIATION = "housing_association", "Housing association"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=160, unique=True)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    area = models.CharField(
        max_length=160, blank=True, help_text="Where it works, for example “Northfield borough”."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name

    @property
    def sector_group(self):
        """ "statutory", "third sector" or "other": the comparison the study made."""
        if self.sector in STATUTORY_SECTORS:
            return "statutory"
        if self.sector in THIRD_SECTORS:
            return "third sector"
        return "other"


STATUTORY_SECTORS = frozenset({Agency.Sector.NHS_MENTAL_HEALTH, Agency.Sector.LOCAL_AUTHORITY})
THIRD_SECTORS = frozenset(
    {
        Agency.Sector.VOLUNTARY,
        Agency.Sector.SOCIAL_ENTERPRISE,
        Agency.Sector.HOUSING_ASSOCIATION,
    }
)


class Team(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        WORKER = "worker", "Worker"
        SUPERVISOR = "supervisor", "Supervisor"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["team__name", "role", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "team", "role"], name="unique_team_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.team}"


def curators_group():
    """The Curators group with its permission (recreated if a test flush removed it)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    content_type = ContentType.objects.get_for_model(User)
    permission, _ = Permission.objects.get_or_create(
        codename="curate_toolkit",
        content_type=content_type,
        defaults={"name": "Can curate the toolkit and community directory"},
    )
    group.permissions.add(permission)
    return group


class SecurityEvent(models.Model):
    """A change to someone's sign-in security made by another person (who, whom, when)."""

    class Kind(models.TextChoices):
        MFA_RESET = "mfa_reset", "Second factor reset by an administrator"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="security_events"
    )
    username = models.CharField(max_length=150, help_text="Kept if the account is deleted.")
    actor = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="security_actions"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username}"


class AccessDeniedEvent(models.Model):
    """A refused request: who, what path and method, when, from where. No content
    (no query string, no form data)."""

    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # led by accessdenied_user_time
    )
    path = models.CharField(max_length=500)
    method = models.CharField(max_length=10)
    status = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "refused request"
        # The admins' list is keyset-paged newest first, on its own or for one user.
        indexes = [
            models.Index(fields=["-at", "-id"], name="accessdenied_time"),
            models.Index(fields=["user", "-at", "-id"], name="accessdenied_user_time"),
        ]

    def __str__(self):
        return f"{self.status} {self.method} {self.path}"
