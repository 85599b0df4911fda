"""Forms for a group session: the group's details, and one row per attendee."""

from django import forms

from caseload.models import GroupSession
from core.forms import VersionAndTokenMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_YOURS = "You can only add people you work with."


class GroupSessionForm(VersionAndTokenMixin, forms.ModelForm):
    class Meta:
        model = GroupSession
        fields = ["date", "start_time", "duration_minutes", "place", "opportunity", "notes"]
        widgets = {
            "date": DATE_INPUT,
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "date": {"required": "Enter the date of the session."},
            "duration_minutes": {"required": "Enter how long it lasted, in minutes."},
        }

    def __init__(self, *args, opportunities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = opportunities
        self.fields["opportunity"].empty_label = "None: I have given the place"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("opportunity") and not self.errors:
            self.add_error("place", "Give the place, or choose the community opportunity.")
        return cleaned

    def model_values(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class AttendeeForm(forms.Form):
    person = forms.ChoiceField(
        label="Person", required=False, error_messages={"invalid_choice": NOT_YOURS}
    )
    attended = forms.BooleanField(label="Came", required=False, initial=True)
    note = forms.CharField(
        label="Their own note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only shown on this person's record.",
    )
    goals = forms.MultipleChoiceField(
        label="Goals worked on",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
        error_messages={"invalid_choice": "Choose goals of the people you work with."},
    )

    def __init__(self, *args, people_choices, goal_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose a person")] + people_choices
        self.fields["goals"].choices = goal_choices


class BaseAttendeeFormSet(forms.BaseFormSet):
    """Rows naming a person; at least one, nobody twice, goals of that person."""

    def __init__(self, *args, goals_by_id, **kwargs):
        self.goals_by_id = goals_by_id
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        seen = {}
        rows = []
        for form in self.forms:
            person = form.cleaned_data.get("person")
            if not person:
                if form.cleaned_data.get("note") or form.cleaned_data.get("goals"):
                    form.add_error("person", "Choose who this note is for.")
                continue
            if person in seen:
                form.add_error("person", "This person is already in the group session.")
                continue
            seen[person] = form
            for goal_id in form.cleaned_data.get("goals", []):
                goal = self.goals_by_id.get(goal_id)
                if goal is None or str(goal.service_user.public_id) != person:
                    form.add_error("goals", "Choose this person's own goals.")
                    break
            rows.append(form)
        if not rows and not any(form.errors for form in self.forms):
            self.forms[0].add_error("person", "Add at least one person to the group session.")

    def attendees(self):
        """``[(public_id, attended, note, [goal ids])]`` of the rows naming a person."""
        return [
            (
                form.cleaned_data["person"],
                form.cleaned_data["attended"],
                form.cleaned_data["note"],
                form.cleaned_data["goals"],
            )
            for form in self.forms
            if form.cleaned_data.get("person")
        ]


def attendee_formset(rows):
    return forms.formset_factory(
        AttendeeForm, formset=BaseAttendeeFormSet, extra=rows, max_num=30, absolute_max=30
    )
