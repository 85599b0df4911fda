"""Toolkit resources and the community directory (Open Referral UK model).

``Resource`` and ``Service`` are the targets other apps link to (sessions record
resources used; network members and goals link to directory services, shown to
workers as "opportunities"). Their names and primary keys are stable.

The directory follows Open Referral UK (HSDS 3 UK profile): organization,
service, location, service_at_location, schedule, taxonomy / taxonomy_term,
contact and cost_option. Every ORUK object keeps its feed id in ``public_id`` so
importing the same feed again updates rather than duplicates.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

# The stage codes of the Connecting People cycle (DESIGN §2). caseload.stages
# holds the same codes; toolkit may not import caseload, so a test keeps the two
# lists equal.
STAGE_CHOICES = [
    ("referral", "Referred"),
    ("getting_started", "Getting to know each other"),
    ("assess", "Exploring connections"),
    ("plan", "Planning"),
    ("connect", "Connecting"),
    ("review", "Reviewing"),
    ("moving_on", "Moving on"),
    ("closed", "Closed"),
]
STAGE_LABELS = dict(STAGE_CHOICES)

DAY_CHOICES = [
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
]
DAY_LABELS = dict(DAY_CHOICES)


class PracticeArea(models.Model):
    """One of the twelve CPI practice questions (DESIGN §2), seeded by migration."""

    number = models.PositiveSmallIntegerField(unique=True)
    question = models.CharField(max_length=200)
    short_label = models.CharField(max_length=80)
    for_agency = models.BooleanField(
        default=False, help_text="A question for the agency rather than the individual worker."
    )

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.question}"


class Resource(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Kind(models.TextChoices):
        GUIDE = "guide", "Guide"
        WORKSHEET = "worksheet", "Worksheet"
        EXERCISE = "exercise", "Exercise"
        FILM = "film", "Film (link)"
        CASE_STUDY = "case_study", "Case study"
        TOOL = "tool", "Tool"
        LINK = "link", "External link"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.GUIDE)
    body = models.TextField(
        max_length=50_000,
        blank=True,
        help_text="Markdown: **bold**, *italic*, lists, links and headings.",
    )
    practice_areas = models.ManyToManyField(PracticeArea, blank=True, related_name="resources")
    tags = models.CharField(
        max_length=300, blank=True, help_text="Words people might search for, separated by commas."
    )
    external_url = models.URLField("external link", max_length=500, blank=True)
    file = models.FileField(upload_to="toolkit/resources/%Y/%m/", blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    review_by = models.DateField(
        "review by", null=True, blank=True, help_text="When this resource should be checked again."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Title, summary, body and tags in one column: searched with icontains on
    # SQLite and through a GIN full-text index on PostgreSQL.
    search_text = models.TextField(blank=True, editable=False)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "title"], name="toolkit_res_status_title")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def build_search_text(self):
        return "\n".join([self.title, self.summary, self.tags, self.body])

    @property
    def tag_list(self):
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def stage_codes(self):
        return [row.stage for row in self.stage_tags.all()]

    @property
    def stage_pairs(self):
        return [(code, STAGE_LABELS.get(code, code)) for code in self.stage_codes]

    @property
    def stage_labels(self):
        return [STAGE_LABELS.get(code, code) for code in self.stage_codes]

    @property
    def is_due_for_review(self):
        return self.review_by is not None and self.review_by <= timezone.localdate()


class ResourceStage(models.Model):
    """A stage of the cycle a resource serves (stage codes from DESIGN §2)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="stage_tags")
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "stage"], name="unique_resource_stage"),
        ]

    def __str__(self):
        return f"{self.resource} – {self.get_stage_display()}"


class ResourceVersion(models.Model):
    """A snapshot of a resource after each change: who changed what, and when."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    changed_fields = models.JSONField(default=list, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="unique_resource_version"),
        ]

    def __str__(self):
        return f"{self.resource} v{self.number}"


class Organization(models.Model):
    """An ORUK organization. ``public_id`` is its ORUK/HSDS id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Taxonomy(models.Model):
    """An ORUK taxonomy: a named list of categories."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    uri = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self):
        return self.name


class TaxonomyTerm(models.Model):
    """An ORUK taxonomy term: a category a service can be filed under."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.SET_NULL, null=True, blank=True, related_name="terms"
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    code = models.CharField(max_length=255, blank=True)
    term_uri = models.URLField(max_length=500, blank=True)
    parent_public_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Location(models.Model):
    """An ORUK location with its (first) address, flattened."""

    class LocationType(models.TextChoices):
        PHYSICAL = "physical", "A place people visit"
        POSTAL = "postal", "Postal address only"
        VIRTUAL = "virtual", "Online"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    location_type = models.CharField(
        max_length=20, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_public_id = models.UUIDField(null=True, blank=True)
    address_1 = models.CharField("address", max_length=255, blank=True)
    city = models.CharField("town or city", max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    state_province = models.CharField("county", max_length=120, blank=True)
    postal_code = models.CharField("postcode", max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, default="GB")

    class Meta:
        ordering = ["name", "address_1"]

    def __str__(self):
        return self.name or self.address_1 or "Unnamed location"

    @property
    def address_line(self):
        parts = [self.address_1, self.city, self.postal_code]
        return ", ".join(part for part in parts if part)


class Accessibility(models.Model):
    """ORUK accessibility information for a location."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "accessibility"

    def __str__(self):
        return self.description[:60]


class Service(models.Model):
    """An ORUK service: a community opportunity. ``public_id`` is its ORUK/HSDS id."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "No longer runs"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services", null=True, blank=True
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    url = models.URLField("website", max_length=500, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_free = models.BooleanField("free to attend", default=False)
    fees_description = models.TextField("cost", blank=True)
    eligibility_description = models.TextField("who can go", blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    accreditations = models.TextField(blank=True)
    alert = models.TextField(blank=True)
    assured_date = models.DateField(
        "last verified", null=True, blank=True, help_text="When the details were last checked."
    )
    last_modified = models.DateTimeField(null=True, blank=True)
    locations = models.ManyToManyField(
        Location, through="ServiceAtLocation", related_name="services", blank=True
    )
    categories = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    search_text = models.TextField(blank=True, editable=False)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"], name="toolkit_srv_status_name")]

    def __str__(self):
        return self.name


class ServiceAtLocation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="at_services")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location"),
        ]

    def __str__(self):
        return f"{self.service} at {self.location}"


class Schedule(models.Model):
    """When a service runs: structured days and times (RFC 5545 style) plus words."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField("how often", max_length=10, choices=Freq.choices, blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(
        "days", max_length=60, blank=True, help_text="iCal days, for example MO,WE or 2TH."
    )
    bymonthday = models.CharField(max_length=60, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    description = models.TextField("when, in words", blank=True)
    attending_type = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.summary

    @property
    def day_codes(self):
        codes = []
        for part in self.byday.split(","):
            part = part.strip().upper()
            if part[-2:] in DAY_LABELS:
                codes.append(part[-2:])
        return codes

    @property
    def summary(self):
        days = ", ".join(DAY_LABELS[code] for code in self.day_codes)
        if self.freq == self.Freq.MONTHLY and days:
            days = f"Monthly on {days}"
        times = ""
        if self.opens_at and self.closes_at:
            times = f"{self.opens_at:%H:%M} to {self.closes_at:%H:%M}"
        elif self.opens_at:
            times = f"from {self.opens_at:%H:%M}"
        text = " ".join(part for part in [days, times] if part)
        return text or self.description or "Times not given"


class Contact(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField("role", max_length=255, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name or self.title or "Contact"


class CostOption(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField("who or what it applies to", max_length=255, blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField("details", max_length=255, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        if self.amount is None:
            return self.option or self.amount_description
        return f"£{self.amount:.2f} {self.amount_description}".strip()
