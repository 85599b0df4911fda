from django import forms
from django.db.models import Q
from django.utils import timezone

from core.forms import VersionAndTokenMixin
from core.widgets import DateInput, RadioSelect
from networks.models import NetworkMember
from toolkit.models import Service

from . import gas
from .models import LEVEL_FIELDS, LEVEL_LABELS, Goal, GoalStatus, Step, StepWho, level_display

LEVEL_CHOICES = [(level, f"{level_display(level)}: {LEVEL_LABELS[level]}") for level in gas.LEVELS]
SCALE_HELP = {
    "importance": "How much it matters to the person: 0 not at all, 1 a little, 2 moderately, "
    "3 very much. Leave both importance and difficulty blank for an unweighted goal.",
    "difficulty": "How hard it will be to reach the expected outcome: 0 not at all, 1 a little, "
    "2 moderately, 3 very.",
}


def _date(value):
    return value.strftime("%-d %B %Y") if value else ""


def scale_field(name):
    return forms.TypedChoiceField(
        label=name.capitalize(),
        choices=[("", "Not set"), *[(n, str(n)) for n in range(4)]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=SCALE_HELP[name],
        error_messages={"invalid_choice": f"{name.capitalize()} must be a number from 0 to 3."},
    )


class GoalForm(forms.ModelForm):
    importance = scale_field("importance")
    difficulty = scale_field("difficulty")
    baseline_level = forms.TypedChoiceField(
        label="Level now (baseline)",
        choices=LEVEL_CHOICES,
        coerce=int,
        initial=-1,
        help_text="Where the person is now on this goal's scale; usually −1.",
        error_messages={"invalid_choice": "Choose a baseline level from −2 to +2."},
    )

    class Meta:
        model = Goal
        fields = [
            "title",
            "domain",
            "why_it_matters",
            "set_on",
            "target_date",
            "level_plus_2",
            "level_plus_1",
            "level_0",
            "level_minus_1",
            "level_minus_2",
            "baseline_level",
            "importance",
            "difficulty",
            "members",
            "opportunities",
        ]
        widgets = {
            "title": forms.TextInput(),
            "why_it_matters": forms.Textarea(attrs={"rows": 3}),
            "set_on": DateInput(),
            "target_date": DateInput(),
            "level_plus_2": forms.Textarea(attrs={"rows": 2}),
            "level_plus_1": forms.Textarea(attrs={"rows": 2}),
            "level_0": forms.Textarea(attrs={"rows": 2}),
            "level_minus_1": forms.Textarea(attrs={"rows": 2}),
            "level_minus_2": forms.Textarea(attrs={"rows": 2}),
            "members": forms.CheckboxSelectMultiple,
            "opportunities": forms.CheckboxSelectMultiple(
                attrs={"data-filterable": "opportunities"}
            ),
        }
        help_texts = {
            "level_0": "Required. What the person will be doing when the goal is met as "
            "expected, in words you can both check.",
            "level_plus_1": "Describe each level so that anyone could tell which one was reached.",
            "opportunities": "Optional. Groups and activities from the community directory; "
            "withdrawn and closed listings are not offered.",
            "members": "Optional. Who or what in the person's network map this goal involves.",
        }
        error_messages = {
            "title": {"required": "Enter the goal, in the person's words."},
            "domain": {"required": "Choose the area of life this goal is about."},
            "level_0": {
                "required": "Describe the expected outcome (level 0): what reaching the goal "
                "looks like."
            },
            "set_on": {
                "required": "Enter the date you agreed the goal.",
                "invalid": "Enter a real date.",
            },
            "target_date": {"invalid": "Enter a real date."},
        }

    def __init__(self, *args, service_user, **kwargs):
        self.service_user = service_user
        super().__init__(*args, **kwargs)
        opportunities = self.fields["opportunities"]
        # Current, running listings, and any this goal already links (even if
        # withdrawn or closed since, so saving the goal does not drop the link).
        linked_services = (
            Q(pk__in=self.instance.opportunities.values("pk")) if self.instance.pk else Q(pk__in=[])
        )
        opportunities.queryset = (
            Service.objects.filter(
                Q(withdrawn_at__isnull=True, status=Service.Status.ACTIVE) | linked_services
            )
            .select_related("organization")
            .order_by("name", "id")
        )
        opportunities.to_field_name = "public_id"
        opportunities.required = False
        opportunities.error_messages["invalid_choice"] = (
            "Choose opportunities from the directory list."
        )
        opportunities.error_messages["invalid_pk_value"] = (
            "Choose opportunities from the directory list."
        )
        members = self.fields["members"]
        linked = Q(pk__in=self.instance.members.values("pk")) if self.instance.pk else Q()
        members.queryset = (
            NetworkMember.objects.filter(service_user=service_user)
            .filter(Q(ended_on__isnull=True) | linked)
            .order_by("ring", "label")
        )
        members.to_field_name = "public_id"
        members.required = False
        for code in ("invalid_choice", "invalid_pk_value"):
            members.error_messages[code] = "Choose people, groups or places from this person's map."
        if not members.queryset.exists():
            del self.fields["members"]
        for level, name in LEVEL_FIELDS.items():
            if level != 0:
                self.fields[name].required = False

    def clean_set_on(self):
        value = self.cleaned_data["set_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date agreed cannot be in the future.")
        if value and self.instance.pk:
            early = self.instance.steps.filter(due_on__lt=value).order_by("due_on").first()
            if early:
                raise forms.ValidationError(
                    f"A step (“{early.what}”) is due on {_date(early.due_on)}, before this date. "
                    "Change the step first, or choose an earlier date."
                )
        return value

    def clean(self):
        cleaned = super().clean()
        set_on, target = cleaned.get("set_on"), cleaned.get("target_date")
        if set_on and target and target < set_on:
            self.add_error("target_date", "The target date must be on or after the date agreed.")
        return cleaned

    def model_values(self):
        """The cleaned values to store on the goal (everything but the M2M)."""
        names = [f for f in self._meta.fields if f not in ("opportunities", "members")]
        names += [f for f in ("status", "replaced_by") if f in self.fields]
        return {name: self.cleaned_data[name] for name in names}


class GoalCreateForm(VersionAndTokenMixin, GoalForm):
    pass


class GoalEditForm(VersionAndTokenMixin, GoalForm):
    status = forms.ChoiceField(
        choices=GoalStatus.choices,
        widget=RadioSelect,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    replaced_by = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label="Replaced by",
        help_text="If this goal was replaced, choose the goal that replaced it.",
        to_field_name="public_id",
        error_messages={
            "invalid_choice": "Choose one of this person's other goals.",
            "invalid_pk_value": "Choose one of this person's other goals.",
        },
    )

    class Meta(GoalForm.Meta):
        fields = [*GoalForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = (
            Goal.objects.filter(service_user=self.service_user)
            .exclude(pk=self.instance.pk)
            .order_by("set_on", "id")
        )
        self.fields["replaced_by"].empty_label = "Not replaced"
        if not self.is_bound:
            self.initial["status"] = self.instance.status
            self.initial["replaced_by"] = self.instance.replaced_by_id

    def clean(self):
        cleaned = super().clean()
        status, replaced_by = cleaned.get("status"), cleaned.get("replaced_by")
        if status == GoalStatus.REPLACED and not replaced_by:
            self.add_error("replaced_by", "Choose the goal that replaced this one.")
        if status != GoalStatus.REPLACED:
            cleaned["replaced_by"] = None
        return cleaned


class StepForm(forms.ModelForm):
    who = forms.ChoiceField(
        label="Who will do it",
        choices=StepWho.choices,
        widget=RadioSelect,
        error_messages={
            "required": "Choose who will do this step.",
            "invalid_choice": "Choose who will do this step.",
        },
    )

    class Meta:
        model = Step
        fields = ["what", "who", "who_name", "due_on", "done_on"]
        widgets = {"what": forms.TextInput(), "due_on": DateInput(), "done_on": DateInput()}
        labels = {"done_on": "Done on"}
        help_texts = {"done_on": "Leave blank until it is done."}
        error_messages = {
            "what": {"required": "Enter what will be done."},
            "due_on": {"invalid": "Enter a real date."},
            "done_on": {"invalid": "Enter a real date."},
        }

    def __init__(self, *args, goal, **kwargs):
        self.goal = goal
        super().__init__(*args, **kwargs)

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if value and value < self.goal.set_on:
            raise forms.ValidationError(
                f"The due date must be on or after the day the goal was agreed "
                f"({_date(self.goal.set_on)})."
            )
        return value

    def clean_done_on(self):
        value = self.cleaned_data["done_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date done cannot be in the future.")
        if value and value < self.goal.set_on:
            raise forms.ValidationError(
                f"The date done must be on or after the day the goal was agreed "
                f"({_date(self.goal.set_on)})."
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("who") == StepWho.OTHER and not cleaned.get("who_name", "").strip():
            self.add_error("who_name", "Enter who will do it (a first name or role is enough).")
        if cleaned.get("who") in (StepWho.PERSON, StepWho.WORKER):
            cleaned["who_name"] = ""
        return cleaned

    def model_values(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class StepCreateForm(VersionAndTokenMixin, StepForm):
    pass


class StepEditForm(VersionAndTokenMixin, StepForm):
    pass


class ReviewForm(VersionAndTokenMixin, forms.Form):
    """Rate every active goal at once. Fields per goal: ``level_<goal uuid>`` and
    ``note_<goal uuid>``. A rating sent for a goal that is not one of the
    person's active goals is refused, not ignored."""

    reviewed_on = forms.DateField(
        label="Date of the review",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date of the review.",
            "invalid": "Enter a real date.",
        },
    )
    note = forms.CharField(
        label="Overall note (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the person said about their progress overall.",
    )

    def __init__(self, *args, goals, other_goals=(), **kwargs):
        """``goals``: the active goals; ``other_goals``: the person's other goals
        (to name them if someone tries to rate one)."""
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        self.other_goals = {str(g.public_id): g for g in other_goals}
        if not self.is_bound:
            self.initial.setdefault("reviewed_on", timezone.localdate())
        self.goal_fields = []
        for goal in self.goals:
            key = str(goal.public_id)
            level_name, note_name = f"level_{key}", f"note_{key}"
            self.fields[level_name] = forms.TypedChoiceField(
                label=f"Level reached: {goal.title}",
                choices=[(level, label) for level, label in self._choices(goal)],
                coerce=int,
                widget=RadioSelect,
                error_messages={
                    "required": f"Choose the level reached on “{goal.title}”.",
                    "invalid_choice": f"Rate “{goal.title}” from −2 to +2.",
                },
            )
            self.fields[note_name] = forms.CharField(
                label=f"Note on “{goal.title}” (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.goal_fields.append((goal, self[level_name], self[note_name]))

    @staticmethod
    def _choices(goal):
        for level in sorted(gas.LEVELS, reverse=True):
            text = goal.level_description(level)
            label = f"{level_display(level)} {LEVEL_LABELS[level]}"
            yield level, f"{label}: {text}" if text else label

    def clean_reviewed_on(self):
        value = self.cleaned_data["reviewed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The review date cannot be in the future.")
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.goals:
            raise forms.ValidationError("There are no active goals to review.")
        known = {str(g.public_id) for g in self.goals}
        for key in self.data:
            if not key.startswith("level_"):
                continue
            goal_key = key.removeprefix("level_")
            if goal_key in known:
                continue
            other = self.other_goals.get(goal_key)
            if other is not None:
                self.add_error(
                    None,
                    f"“{other.title}” is {other.get_status_display().lower()}, not active, "
                    "so it cannot be rated. Only active goals are reviewed.",
                )
            else:
                self.add_error(None, "A rating was sent for a goal that is not this person's.")
        return cleaned

    def ratings(self):
        """{goal: (level, note)} from the cleaned data."""
        return {
            goal: (
                self.cleaned_data[f"level_{goal.public_id}"],
                self.cleaned_data[f"note_{goal.public_id}"],
            )
            for goal in self.goals
        }


class SessionGoalsForm(forms.Form):
    goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Goals this session worked on",
        to_field_name="public_id",
        error_messages={
            "invalid_choice": "Choose from this person's goals.",
            "invalid_pk_value": "Choose from this person's goals.",
        },
    )

    def __init__(self, *args, goals_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals_queryset
        self.fields["goals"].label_from_instance = lambda g: (
            g.title if g.is_active else f"{g.title} ({g.get_status_display().lower()})"
        )
