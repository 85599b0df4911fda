"""The one form for recording or changing a result: date, timepoint, how it was
completed, and one radio group per item of the instrument's version."""

from django import forms
from django.utils import timezone

from core.forms import VersionAndTokenMixin
from core.questionnaire_fields import answered_on_field, item_field, not_in_the_future
from core.widgets import RadioSelect

from . import selectors
from .models import CompletedHow, Timepoint

ITEM_PREFIX = "item_"


def _date(value):
    return f"{value:%-d %B %Y}"


class ResultFields(forms.Form):
    completed_on = answered_on_field("Date completed")
    timepoint = forms.ChoiceField(
        label="When in the work was it?",
        choices=Timepoint.choices,
        widget=RadioSelect,
        error_messages={
            "required": "Choose when in the work the questions were answered.",
            "invalid_choice": "Choose when in the work the questions were answered.",
        },
    )
    completed_how = forms.ChoiceField(
        label="How was it completed?",
        choices=CompletedHow.choices,
        widget=RadioSelect,
        error_messages={
            "required": "Choose how the questions were answered.",
            "invalid_choice": "Choose how the questions were answered.",
        },
    )

    def __init__(self, *args, definition, service_user, instrument, result=None, **kwargs):
        """``definition``: the version the result is (or will be) scored with;
        ``result``: the saved result being changed, if any."""
        self.definition = definition
        self.service_user = service_user
        self.instrument = instrument
        self.result = result
        super().__init__(*args, **kwargs)
        if not self.is_bound and result is None:
            self.initial.setdefault("completed_on", timezone.localdate())
        self.item_fields = []
        for item in definition.items:
            name = f"{ITEM_PREFIX}{item.id}"
            self.fields[name] = item_field(definition.item_heading(item), item)
            self.item_fields.append((item, self[name]))

    @property
    def wide_scale(self):
        """Many options per item (a 0–10 scale): laid out in a row."""
        return any(len(item.options) > 5 for item in self.definition.items)

    def clean_completed_on(self):
        return not_in_the_future(
            self.cleaned_data["completed_on"], "The date completed cannot be in the future."
        )

    def clean(self):
        cleaned = super().clean()
        day, timepoint = cleaned.get("completed_on"), cleaned.get("timepoint")
        if day is None or timepoint is None:
            return cleaned
        person, instrument = self.service_user, self.instrument
        if timepoint == Timepoint.BASELINE:
            taken = selectors.baseline_for(person, instrument, exclude=self.result)
            if taken is not None:
                self.add_error(
                    "timepoint",
                    f"{person.preferred_name} already has a baseline for {instrument.name}, "
                    f"on {_date(taken.completed_on)}. Choose another timepoint, or change "
                    "that result.",
                )
            later = selectors.earliest_after_baseline(person, instrument, exclude=self.result)
            if later is not None and later.completed_on < day:
                self.add_error(
                    "completed_on",
                    f"The baseline cannot be after the {later.get_timepoint_display().lower()} "
                    f"on {_date(later.completed_on)}.",
                )
        else:
            baseline = selectors.baseline_for(person, instrument, exclude=self.result)
            if baseline is not None and day < baseline.completed_on:
                self.add_error(
                    "completed_on",
                    f"A {Timepoint(timepoint).label.lower()} cannot be before the baseline, "
                    f"on {_date(baseline.completed_on)}.",
                )
        return cleaned

    def values(self):
        return {
            name: self.cleaned_data[name] for name in ("completed_on", "timepoint", "completed_how")
        }

    def answers(self):
        return {
            item.id: self.cleaned_data.get(f"{ITEM_PREFIX}{item.id}")
            for item in self.definition.items
        }


class ResultForm(VersionAndTokenMixin, ResultFields):
    def conflict_value(self, record, name):
        if name.startswith(ITEM_PREFIX):
            return record.answers.get(name.removeprefix(ITEM_PREFIX))
        return super().conflict_value(record, name)


def initial_for(result):
    """The form's starting values for a saved result."""
    return {
        "completed_on": result.completed_on,
        "timepoint": result.timepoint,
        "completed_how": result.completed_how,
        **{f"{ITEM_PREFIX}{key}": value for key, value in result.answers.items()},
    }
