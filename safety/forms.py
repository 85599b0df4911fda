"""Forms for alerts and check-ins: they validate, the services act."""

import datetime

from django import forms
from django.utils import timezone

from core.forms import VersionAndTokenMixin

from .models import LoneWorkingCheckIn, RiskAlert

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AlertForm(VersionAndTokenMixin, forms.ModelForm):
    """Record or edit an alert. A new alert's review date cannot be in the past;
    an edit may keep the saved date but may not move it into the past."""

    class Meta:
        model = RiskAlert
        fields = ["category", "situation", "what_to_do", "review_on"]
        widgets = {
            "category": forms.RadioSelect,
            "review_on": DATE_INPUT,
            "situation": forms.Textarea(attrs={"rows": 3}),
            "what_to_do": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "category": {"required": "Choose what kind of alert this is."},
            "situation": {"required": "Describe the situation."},
            "what_to_do": {"required": "Say what a worker should do."},
            "review_on": {
                "required": "Enter a review date.",
                "invalid": "Enter a real date, like 26 November 2026.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [c for c in self.fields["category"].choices if c[0] != ""]
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("review_on", timezone.localdate() + datetime.timedelta(days=90))

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        is_new = self.instance.pk is None
        if value < timezone.localdate() and (is_new or "review_on" in self.changed_data):
            raise forms.ValidationError(
                "The review date must be today or later.", code="past_review_date"
            )
        return value

    def model_values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EndAlertForm(forms.Form):
    end_reason = forms.CharField(
        label="Why is this alert ending?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "For example “the dog has been rehomed” or “reviewed with the team: no longer needed”."
        ),
        error_messages={"required": "Say why the alert is ending."},
    )


class CheckInForm(VersionAndTokenMixin, forms.ModelForm):
    """Start a lone-working check-in. ``people``: whom the worker may name."""

    expected_back_at = forms.DateTimeField(
        label="Expected back",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="When you expect to be back or to have left safely.",
        error_messages={
            "required": "Enter when you expect to be back.",
            "invalid": "Enter a date and time, like 26 November 2026 at 14:30.",
        },
    )

    class Meta:
        model = LoneWorkingCheckIn
        fields = ["service_user", "where", "with_whom", "expected_back_at"]
        error_messages = {
            "where": {"required": "Say where you are going."},
            "with_whom": {"required": "Say who you are with, or “on my own”."},
        }

    def __init__(self, *args, people, started_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.started_at = started_at or timezone.now()
        field = self.fields["service_user"]
        field.queryset = people
        field.required = False
        field.empty_label = "Nobody from my caseload"
        field.label_from_instance = lambda person: person.preferred_name
        if not self.is_bound:
            local = timezone.localtime(self.started_at) + datetime.timedelta(hours=1)
            self.initial.setdefault("expected_back_at", local.replace(second=0, microsecond=0))

    def clean_expected_back_at(self):
        value = self.cleaned_data["expected_back_at"]
        if value <= self.started_at:
            raise forms.ValidationError(
                "The expected return must be after the start of the check-in (now).",
                code="return_before_start",
            )
        if value - self.started_at > datetime.timedelta(hours=24):
            raise forms.ValidationError(
                "The expected return must be within 24 hours.", code="return_too_late"
            )
        return value


class TeamCheckInsForm(forms.Form):
    check_ins_enabled = forms.BooleanField(
        label="This team's workers use lone-working check-ins", required=False
    )
