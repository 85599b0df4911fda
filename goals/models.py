"""Goals in the person's own words, their steps, and Goal Attainment Scaling reviews.

Read these through the person (``caseload.access``) and ``goals.selectors``;
change them through ``goals.services``.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from caseload.models import ServiceUser, Session

from . import gas

LEVEL_VALIDATORS = [MinValueValidator(gas.MIN_LEVEL), MaxValueValidator(gas.MAX_LEVEL)]
SCALE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(3)]


class Domain(models.TextChoices):
    MEETING_PEOPLE = "meeting_people", "Meeting people"
    CONFIDENCE = "confidence", "Confidence"
    ACTIVITIES = "activities", "Activities and hobbies"
    VOLUNTEERING = "volunteering", "Volunteering"
    LEARNING = "learning", "Learning"
    WORK = "work", "Work"
    FAMILY = "family", "Family and relationships"
    FAITH = "faith", "Faith and culture"
    PHYSICAL = "physical_activity", "Physical activity"
    OTHER = "other", "Other"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
    STOPPED = "stopped", "Stopped"
    REPLACED = "replaced", "Replaced by another goal"


LEVEL_LABELS = {
    -2: "Much less than expected",
    -1: "Somewhat less than expected",
    0: "Expected outcome",
    1: "Somewhat more than expected",
    2: "Much more than expected",
}
LEVEL_FIELDS = {
    -2: "level_minus_2",
    -1: "level_minus_1",
    0: "level_0",
    1: "level_plus_1",
    2: "level_plus_2",
}


def level_display(level):
    """ "+1", "0", "−2": a level as people write it."""
    if level is None:
        return ""
    return f"+{level}" if level > 0 else ("0" if level == 0 else f"−{abs(level)}")


class Goal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(
        "the goal, in the person's words",
        max_length=300,
        help_text="Write it the way the person says it.",
    )
    domain = models.CharField("area of life", max_length=30, choices=Domain.choices)
    why_it_matters = models.TextField(
        "why it matters to them", max_length=2000, blank=True, help_text="In their words."
    )
    set_on = models.DateField(
        "date agreed", default=timezone.localdate, help_text="When you agreed this goal together."
    )
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    ended_on = models.DateField(null=True, blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name="replaced by",
    )

    # Goal Attainment Scaling set-up: what each level looks like for this goal.
    level_minus_2 = models.TextField("−2: much less than expected", max_length=500, blank=True)
    level_minus_1 = models.TextField("−1: somewhat less than expected", max_length=500, blank=True)
    level_0 = models.TextField("0: the expected outcome", max_length=500)
    level_plus_1 = models.TextField("+1: somewhat more than expected", max_length=500, blank=True)
    level_plus_2 = models.TextField("+2: much more than expected", max_length=500, blank=True)
    baseline_level = models.SmallIntegerField(
        "level now (baseline)", default=-1, validators=LEVEL_VALIDATORS
    )
    importance = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCALE_VALIDATORS
    )
    difficulty = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCALE_VALIDATORS
    )

    opportunities = models.ManyToManyField(
        "toolkit.Service",
        blank=True,
        related_name="goals",
        verbose_name="community opportunities involved",
    )
    members = models.ManyToManyField(
        "networks.NetworkMember",
        blank=True,
        related_name="goals",
        verbose_name="people, groups and places involved",
    )
    sessions = models.ManyToManyField(
        Session, through="SessionGoal", related_name="goals", blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["set_on", "id"]
        indexes = [models.Index(fields=["service_user", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_level__gte=-2, baseline_level__lte=2),
                name="goal_baseline_level_in_range",
            ),
            models.CheckConstraint(
                condition=Q(importance__isnull=True) | Q(importance__lte=3),
                name="goal_importance_0_to_3",
            ),
            models.CheckConstraint(
                condition=Q(difficulty__isnull=True) | Q(difficulty__lte=3),
                name="goal_difficulty_0_to_3",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "goals:goal",
            kwargs={"public_id": self.service_user.public_id, "goal_id": self.public_id},
        )

    @property
    def weight(self):
        return gas.goal_weight(self.importance, self.difficulty)

    @property
    def is_active(self):
        return self.status == GoalStatus.ACTIVE

    def is_overdue(self, today=None):
        """An active goal whose target date has passed."""
        today = today or timezone.localdate()
        return self.is_active and self.target_date is not None and self.target_date < today

    @property
    def overdue(self):
        return self.is_overdue()

    def level_description(self, level):
        return getattr(self, LEVEL_FIELDS[level]) if level in LEVEL_FIELDS else ""

    @property
    def levels(self):
        """[(level, label, description), …] from +2 down to −2."""
        return [
            (level, LEVEL_LABELS[level], self.level_description(level))
            for level in sorted(LEVEL_FIELDS, reverse=True)
        ]

    @property
    def missing_level_descriptions(self):
        return [level for level, _label, text in self.levels if not text.strip()]


class StepWho(models.TextChoices):
    PERSON = "person", "The person"
    WORKER = "worker", "The worker"
    OTHER = "other", "Someone else"


class Step(models.Model):
    """Who does what by when, towards a goal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    what = models.CharField("what will be done", max_length=300)
    who = models.CharField("who will do it", max_length=10, choices=StepWho.choices)
    who_name = models.CharField(
        "their name or role",
        max_length=100,
        blank=True,
        help_text="First name or role is enough, e.g. 'sister' or 'Jo at the café'.",
    )
    due_on = models.DateField("due date", null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.what

    @property
    def who_display(self):
        if self.who == StepWho.OTHER and self.who_name:
            return self.who_name
        return self.get_who_display()

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.done_on is None and self.due_on is not None and self.due_on < today

    @property
    def overdue(self):
        return self.is_overdue()


class Review(models.Model):
    """One GAS review: every active goal rated at the same time, and the T-score."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="goal_reviews"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("overall note", max_length=4000, blank=True)
    t_score = models.FloatField(
        "T-score", null=True, blank=True, help_text="None when no rated goal had any weight."
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        indexes = [models.Index(fields=["service_user", "-reviewed_at"])]

    def __str__(self):
        return f"Review on {timezone.localtime(self.reviewed_at):%d %B %Y}"

    def get_absolute_url(self):
        return reverse(
            "goals:review",
            kwargs={"public_id": self.service_user.public_id, "review_id": self.public_id},
        )


class Rating(models.Model):
    """The level one goal reached at one review. The weight is kept as it was then,
    so a review's T-score can be recomputed even after the goal's weight changes."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    level = models.SmallIntegerField(validators=LEVEL_VALIDATORS)
    weight = models.PositiveSmallIntegerField(default=1)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["review", "goal"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "goal"], name="one_rating_per_goal_per_review"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=-2, level__lte=2), name="rating_level_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.goal}: {level_display(self.level)}"

    @property
    def level_label(self):
        return level_display(self.level)


class SessionGoal(models.Model):
    """A session worked on a goal (the link lives here so imports stay one-way)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="session_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "goal"], name="one_link_per_session_goal")
        ]

    def __str__(self):
        return f"{self.session} → {self.goal}"
