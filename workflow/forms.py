from django import forms
from django.utils import timezone

from caseload.stages import Stage
from core.forms import VersionAndTokenMixin
from core.questionnaire_fields import answered_on_field, item_field, not_in_the_future
from core.widgets import RadioSelect

from .models import ReferralStatus, Respondent, StopReason
from .rules import allowed_moves


class MoveStageForm(forms.Form):
    to_stage = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the stage to move to.",
            "invalid_choice": "Choose one of the stages listed.",
        },
    )
    reason = forms.CharField(
        label="Reason or note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when evidence is missing or when going back a stage. "
        "It is kept in the stage history.",
        error_messages={"max_length": "Keep the reason to 2,000 characters or fewer."},
    )

    def __init__(self, *args, service_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            (code, Stage(code).label) for code in allowed_moves(service_user.stage)
        ]


class ChoosePersonForm(forms.Form):
    """Who to suggest a directory listing to: one of the people the user supports."""

    person = forms.ModelChoiceField(
        label="Who are you suggesting it to?",
        queryset=None,
        to_field_name="public_id",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the person you are suggesting it to.",
            "invalid_choice": "Choose one of the people listed.",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.preferred_name}" + (f" ({p.reference})" if p.reference else "")
        )


class SuggestForm(VersionAndTokenMixin, forms.Form):
    """How a suggested listing fits the person's plan: a goal, or their map."""

    link = forms.ChoiceField(
        label="How does it fit?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a goal, their network map, or just record the suggestion.",
            "invalid_choice": "Choose one of the options listed.",
        },
    )

    def __init__(self, *args, goals, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = {str(goal.public_id): goal for goal in goals}
        choices = [
            (f"goal:{pk}", f"Link it to the goal “{goal.title}”") for pk, goal in self.goals.items()
        ]
        choices.append(("map", f"Add “{service.name}” to their network map as an opportunity"))
        choices.append(("none", "Only record the suggestion for now"))
        self.fields["link"].choices = choices

    def chosen(self):
        """(goal or None, add_to_map) from the cleaned choice."""
        value = self.cleaned_data["link"]
        if value.startswith("goal:"):
            return self.goals[value.removeprefix("goal:")], False
        return None, value == "map"


class ReferralStatusForm(VersionAndTokenMixin, forms.Form):
    """What happened next with a suggestion, and when."""

    status = forms.ChoiceField(
        label="What happened?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what happened.",
            "invalid_choice": "Choose what happened from the list.",
        },
    )
    on = forms.DateField(
        label="When",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date it happened.",
            "invalid": "Enter a real date, like 26 11 2026.",
        },
    )
    stop_reason = forms.ChoiceField(
        label="Why did they stop? (if they stopped)",
        required=False,
        choices=[("", "Choose a reason"), *StopReason.choices],
        error_messages={"invalid_choice": "Choose a reason from the list."},
    )

    def __init__(self, *args, referral=None, record=None, **kwargs):
        referral = record or referral  # record: the conflict page's saved version
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, record=referral, **kwargs)
        self.referral = referral
        self.fields["status"].choices = [
            (code, label) for code, label in ReferralStatus.choices if code != referral.status
        ]

    def clean(self):
        from .referrals import check_status_change

        cleaned = super().clean()
        if "status" in cleaned and "on" in cleaned:
            errors = check_status_change(
                self.referral,
                status=cleaned["status"],
                on=cleaned["on"],
                stop_reason=cleaned.get("stop_reason", ""),
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned

    def conflict_value(self, record, name):
        if name == "on":
            raise AttributeError(name)  # the date typed is not stored under that name
        return super().conflict_value(record, name)


ITEM_PREFIX = "item_"


class SelfAssessmentForm(VersionAndTokenMixin, forms.Form):
    """One fidelity self-assessment: who answered, when, and one radio group per
    item of the questionnaire (worded for whoever answers)."""

    respondent = forms.ChoiceField(
        label="Who is answering?",
        choices=Respondent.choices,
        widget=RadioSelect,
        error_messages={
            "required": "Choose who is answering.",
            "invalid_choice": "Choose who is answering.",
        },
    )
    completed_on = answered_on_field("Date answered")

    def __init__(self, *args, questionnaire, respondent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.definition = questionnaire.parsed
        if not self.is_bound:
            self.initial.setdefault("completed_on", timezone.localdate())
            if respondent in Respondent.values:
                self.initial.setdefault("respondent", respondent)
        wording = self.data.get("respondent") if self.is_bound else respondent
        self.item_fields = []
        for item in self.definition.items:
            name = f"{ITEM_PREFIX}{item.id}"
            self.fields[name] = item_field(f"{item.number}. {item.text_for(wording)}", item)
            self.item_fields.append((item, self[name]))

    def clean_completed_on(self):
        return not_in_the_future(
            self.cleaned_data["completed_on"], "The date answered cannot be in the future."
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and all(value is None for value in self.answers().values()):
            raise forms.ValidationError("Answer at least one question.")
        return cleaned

    def answers(self):
        return {
            item.id: self.cleaned_data.get(f"{ITEM_PREFIX}{item.id}")
            for item in self.definition.items
        }
