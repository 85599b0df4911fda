"""Each team's register of its links with local organisations (CPI practice area 12:
"How can our agency form better links with our community?").

A link points at the directory organisation (and optionally the service) it is
about when there is one. Directory entries come and go, so a link keeps a copy of
the names and the ORUK ids it was made with: when the entry is deleted the
foreign key is set to NULL and the link reads "no longer listed", with its
history intact. Nothing here is about a person who uses services; the contact is
the team's contact at the organisation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.models import Agency, Team
from toolkit.models import Organization, Service


class LinkKind(models.TextChoices):
    REFERRAL_ROUTE = "referral_route", "Referral route"
    JOINT_ACTIVITY = "joint_activity", "Joint activity"
    VOLUNTEERING = "volunteering", "Volunteering placement"
    SHARED_SPACE = "shared_space", "Shared space"
    TRAINING = "training", "Training"
    INFORMAL = "informal", "Informal contact"


def _gone(target, ref):
    """True when a record was linked to a directory entry (``ref`` is its ORUK id)
    and the entry has since been deleted (``on_delete=SET_NULL`` cleared ``target``)."""
    return ref is not None and target is None


class CommunityLink(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="community_links")
    organisation = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_links",
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_links",
        help_text="The service or activity the link is about, when it is one in particular.",
    )
    # Copies kept so a link outlives its directory entry.
    name = models.CharField("organisation", max_length=255)
    service_name = models.CharField("service or activity", max_length=255, blank=True)
    organisation_ref = models.UUIDField(null=True, blank=True, editable=False)
    service_ref = models.UUIDField(null=True, blank=True, editable=False)

    kind = models.CharField("kind of link", max_length=20, choices=LinkKind.choices)
    contact_name = models.CharField("contact person", max_length=120, blank=True)
    contact_role = models.CharField("their role", max_length=120, blank=True)
    contact_email = models.EmailField("email", blank=True)
    contact_phone = models.CharField("telephone", max_length=40, blank=True)
    last_contact_on = models.DateField("last contact", null=True, blank=True)
    next_contact_on = models.DateField("next planned contact", null=True, blank=True)
    notes = models.TextField(max_length=5000, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name", "service_name", "id"]
        indexes = [
            models.Index(fields=["team", "last_contact_on"], name="community_link_team_contact"),
            models.Index(fields=["team", "kind"], name="community_link_team_kind"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse(
            "community:link", kwargs={"team_id": self.team.public_id, "link_id": self.public_id}
        )

    @property
    def display_name(self):
        name = self.organisation.name if self.organisation else self.name
        service = self.service.name if self.service else self.service_name
        return f"{name}: {service}" if service and service != name else name

    @property
    def organisation_name(self):
        return self.organisation.name if self.organisation else self.name

    @property
    def was_listed(self):
        return self.organisation_ref is not None or self.service_ref is not None

    @property
    def organisation_gone(self):
        return _gone(self.organisation, self.organisation_ref)

    @property
    def service_gone(self):
        """The service was deleted, or the directory says it no longer runs."""
        if _gone(self.service, self.service_ref):
            return True
        return self.service is not None and self.service.status == Service.Status.DEFUNCT

    @property
    def no_longer_listed(self):
        return self.organisation_gone or self.service_gone


class AgencyListing(models.Model):
    """The directory organisation an agency corresponds to (optional).

    Kept here rather than on ``accounts.Agency`` because accounts may not depend on
    the toolkit (DESIGN §6: a link that would point backwards lives in the later app).
    """

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="listing")
    organisation = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=255, blank=True, editable=False)
    organisation_ref = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "directory listing"

    def __str__(self):
        return f"{self.agency} in the directory"

    def save(self, *args, **kwargs):
        # Deleting the organisation clears the key with an UPDATE, not save(): a save
        # without one is an administrator unlinking it, so the copies go too.
        self.organisation_name = self.organisation.name if self.organisation else ""
        self.organisation_ref = self.organisation.public_id if self.organisation else None
        super().save(*args, **kwargs)

    @property
    def no_longer_listed(self):
        return _gone(self.organisation, self.organisation_ref)
