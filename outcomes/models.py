"""Standard outcome measures: instruments (definitions as data, kept in
versions) and each person's results, scored with the version they were
recorded with.

Read results through the person (``caseload.access``) and
``outcomes.selectors``; change them through ``outcomes.services``.
"""

import functools
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from caseload.models import ServiceUser

from . import definitions

MAX_FOLLOW_UP_MONTHS = 36


class Instrument(models.Model):
    """An outcome measure, the same across the versions of its definition."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(max_length=40, unique=True, editable=False)
    name = models.CharField(max_length=200, editable=False)
    follow_up_months = models.PositiveSmallIntegerField(
        "follow-up interval (months)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FOLLOW_UP_MONTHS)],
        help_text="A person's next result is due this many months after their last one.",
    )
    active = models.BooleanField(
        default=True,
        help_text="Offered for new results. Results already recorded are kept either way.",
    )
    shipped = models.BooleanField(
        default=False, editable=False, help_text="An open instrument that ships with the app."
    )
    current_version = models.ForeignKey(
        "InstrumentVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        help_text="The version new results are scored with.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_months__gte=1, follow_up_months__lte=MAX_FOLLOW_UP_MONTHS),
                name="instrument_follow_up_1_to_36_months",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("measures:instrument", kwargs={"instrument_id": self.public_id})


class InstrumentVersion(models.Model):
    """One loaded definition of an instrument. Versions are never changed:
    loading a changed definition adds the next version."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField(
        help_text="The definition as loaded (checked against the schema)."
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the definition's content.")
    licence_holder = models.CharField(max_length=200, blank=True)
    source_name = models.CharField("loaded from", max_length=255, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="one_number_per_instrument_version"
            ),
            models.UniqueConstraint(
                fields=["instrument", "checksum"], name="one_version_per_definition"
            ),
        ]

    def __str__(self):
        return f"{self.instrument} (version {self.number})"

    @functools.cached_property
    def parsed(self):
        """The :class:`outcomes.definitions.Definition` (built once per object)."""
        return definitions.compiled(self.definition, key=self.checksum)


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    REVIEW = "review", "Review"
    FOLLOW_UP = "follow_up", "Follow-up"
    MOVING_ON = "moving_on", "Moving on"


class CompletedHow(models.TextChoices):
    SELF = "self", "By the person on their own"
    WITH_WORKER = "with_worker", "By the person with the worker"
    READ_ALOUD = "read_aloud", "Read aloud to the person"


class Result(models.Model):
    """One completion of an instrument by a person: the answers, and the scores
    worked out with ``scoring_version`` (kept when the instrument changes)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="outcome_results"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="results")
    scoring_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="results"
    )
    completed_on = models.DateField("date completed", default=timezone.localdate)
    timepoint = models.CharField(max_length=20, choices=Timepoint.choices)
    completed_how = models.CharField(
        "how it was completed", max_length=20, choices=CompletedHow.choices
    )
    answers = models.JSONField(default=dict, help_text="{item id: option value or null}")
    scores = models.JSONField(default=dict, help_text="outcomes.scoring.Score.as_dict()")
    total = models.FloatField(
        null=True, blank=True, help_text="None for items reported separately."
    )
    complete = models.BooleanField(default=False)
    prorated = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["completed_on", "id"]
        indexes = [models.Index(fields=["service_user", "instrument", "completed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user", "instrument"],
                condition=Q(timepoint="baseline"),
                name="one_baseline_per_person_and_instrument",
            )
        ]

    def __str__(self):
        return f"{self.instrument} on {self.completed_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse(
            "outcomes:result",
            kwargs={"public_id": self.service_user.public_id, "result_id": self.public_id},
        )
