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
    external_identifier = models.CharField(max_length=255, blank=True)
    external_identifier_type = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name", "address_1"]

    def __str__(self):
        return self.name or self.address_1 or "Unnamed location"

    @property
    def address_line(self):
        parts = [self.address_1, self.city, self.postal_code]
        return ", ".join(part for part in parts if part)


class Address(models.Model):
    """One of a location's addresses (ORUK address). The first is also copied onto
    the location's own address fields, which the forms and search use."""

    class AddressType(models.TextChoices):
        PHYSICAL = "physical", "Where to go"
        POSTAL = "postal", "For post"
        VIRTUAL = "virtual", "Online"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField("address", max_length=255, blank=True)
    address_2 = models.CharField(max_length=255, blank=True)
    city = models.CharField("town or city", max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    state_province = models.CharField("county", max_length=120, blank=True)
    postal_code = models.CharField("postcode", max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True)
    address_type = models.CharField(max_length=20, choices=AddressType.choices, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return self.line

    @property
    def line(self):
        parts = [self.address_1, self.address_2, self.city, self.postal_code]
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


class ServiceQuerySet(models.QuerySet):
    def current(self):
        """Listings not withdrawn from their feed."""
        return self.filter(withdrawn_at__isnull=True)

    def offerable(self):
        """Listings a worker may suggest or link: current and active."""
        return self.current().filter(status=Service.Status.ACTIVE)


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
    assurer_email = models.EmailField(blank=True)

    # Services from a feed subscription: the feed, the feed's own id (ids are
    # scoped by feed, so two feeds may use the same one), a fingerprint of the
    # last document read (an unchanged document is not written again) and when
    # the service vanished from the feed. Withdrawn services are hidden from
    # workers but never deleted: people's maps and goals may refer to them.
    feed = models.ForeignKey(
        "FeedSubscription",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
    )
    source_id = models.CharField("id in the feed", max_length=255, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"], name="toolkit_srv_status_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "source_id"],
                condition=models.Q(feed__isnull=False),
                name="unique_service_per_feed",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    @property
    def can_be_suggested(self):
        """Only current, running listings are offered to workers to suggest."""
        return not self.is_withdrawn and self.status == self.Status.ACTIVE


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
    schedule_link = models.URLField(max_length=500, blank=True)
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
        """The opening times in words: "Every Tuesday and Friday, 2pm to 4:30pm"."""
        return schedule_in_words(self)


ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


def _and_join(words):
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _clock(value):
    """14:00 → "2pm", 09:30 → "9:30am", 12:00 → "midday"."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _day_of_month(number):
    suffix = (
        "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _days_in_words(schedule):
    """ "every Tuesday and Friday", "the second Thursday of each month", …"""
    plain, nth = [], []
    for part in schedule.byday.split(","):
        part = part.strip().upper()
        code, prefix = part[-2:], part[:-2]
        if code not in DAY_LABELS:
            continue
        try:
            position = int(prefix) if prefix not in ("", "+") else None
        except ValueError:
            position = None
        if position in ORDINALS:
            nth.append(f"{ORDINALS[position]} {DAY_LABELS[code]}")
        else:
            plain.append(DAY_LABELS[code])
    interval = schedule.interval or 1
    phrases = []
    if schedule.freq == Schedule.Freq.MONTHLY or nth:
        every = "each month" if interval == 1 else f"every {interval} months"
        if nth:
            phrases.append(f"the {_and_join(nth)} of {every}")
        if plain:
            phrases.append(f"{_and_join(plain)}s, {every}" if interval > 1 else _and_join(plain))
        days = [d for d in schedule.bymonthday.split(",") if d.strip().lstrip("-").isdecimal()]
        if days:
            numbers = [int(d) for d in days]
            words = [_day_of_month(n) if n > 0 else "last day" for n in numbers]
            phrases.append(f"on the {_and_join(words)} of {every}")
        if not phrases:
            phrases.append("monthly" if interval == 1 else f"every {interval} months")
    elif plain:
        if interval == 2:
            phrases.append(f"every other {_and_join(plain)}")
        elif interval > 2:
            phrases.append(f"every {interval} weeks on {_and_join(plain)}")
        elif len(plain) == 7:
            phrases.append("every day")
        else:
            phrases.append(f"every {_and_join(plain)}")
    elif schedule.freq == Schedule.Freq.WEEKLY:
        phrases.append("weekly" if interval == 1 else f"every {interval} weeks")
    return "; ".join(phrases)


def schedule_in_words(schedule):
    days = _days_in_words(schedule)
    times = ""
    if schedule.opens_at and schedule.closes_at:
        times = f"{_clock(schedule.opens_at)} to {_clock(schedule.closes_at)}"
    elif schedule.opens_at:
        times = f"from {_clock(schedule.opens_at)}"
    elif schedule.closes_at:
        times = f"until {_clock(schedule.closes_at)}"
    text = ", ".join(part for part in [days, times] if part)
    if text:
        text = text[0].upper() + text[1:]
        if schedule.valid_from and schedule.valid_to:
            text += f" (from {schedule.valid_from:%-d %B %Y} to {schedule.valid_to:%-d %B %Y})"
        elif schedule.valid_from:
            text += f" (from {schedule.valid_from:%-d %B %Y})"
        elif schedule.valid_to:
            text += f" (until {schedule.valid_to:%-d %B %Y})"
    return text or schedule.description or "Times not given"


class Contact(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField("role", max_length=255, blank=True)
    department = models.CharField(max_length=255, blank=True)
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


class Phone(models.Model):
    """An ORUK phone number of a service, a location or a contact."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(max_length=40)
    extension = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        number = f"{self.number} (extension {self.extension})" if self.extension else self.number
        return f"{number}, {self.description}" if self.description else number


class ServiceArea(models.Model):
    """Where a service is offered (ORUK service_area): a named area, in words."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField("area, in words", blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=40, blank=True)
    uri = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name or self.description[:60] or "Service area"


class Language(models.Model):
    """A language the service is delivered in (HSDS 3 language: name, code, note)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name or self.code or "Language"


class Funding(models.Model):
    """Who pays for the service (ORUK funding)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.source[:60]


class FeedSubscription(models.Model):
    """An Open Referral UK feed a curator registered; ``sync_oruk_feeds`` reads it.

    ``validators`` keeps each page's ETag and Last-Modified, so an unchanged feed
    answers 304 and nothing is read again.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    url = models.URLField("feed address", max_length=1000, unique=True)
    active = models.BooleanField(
        "sync automatically", default=True, help_text="Untick to stop syncing this feed."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    total_pages = models.PositiveIntegerField(default=0)
    validators = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("toolkit:feed", kwargs={"public_id": self.public_id})


class FeedSyncReport(models.Model):
    """What one sync of a feed did. A failed sync wrote nothing; ``errors`` holds
    the first problems found, in plain words."""

    class Outcome(models.TextChoices):
        SYNCED = "synced", "Synced"
        UNCHANGED = "unchanged", "No changes (the feed answered “not modified”)"
        FAILED = "failed", "Failed: nothing was changed"

    feed = models.ForeignKey(FeedSubscription, on_delete=models.CASCADE, related_name="reports")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    pages = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M}: {self.summary}"

    @property
    def summary(self):
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"withdrawn {self.withdrawn}, failed {self.failed}"
        )
