"""Form fields every questionnaire form shares (outcome measures, fidelity
self-assessments): the day the questions were answered, one radio group per
item, and the rule that the day is not in the future."""

from django import forms
from django.utils import timezone

from .widgets import DateInput, RadioSelect


def answered_on_field(label):
    """The day the questions were answered, with errors that say what to type."""
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={
            "required": "Enter the date the questions were answered.",
            "invalid": "Enter a real date, for example 26 November 2026.",
        },
    )


def not_in_the_future(day, message):
    """``day``, or a field error ``message`` when it is after today."""
    if day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


def item_field(label, item):
    """One item's answers as radio buttons (``item.options``: [(score, wording)],
    ``item.number`` as shown); an item may be left unanswered."""
    return forms.TypedChoiceField(
        label=label,
        choices=list(item.options),
        coerce=int,
        empty_value=None,
        required=False,
        widget=RadioSelect,
        error_messages={
            "invalid_choice": f"Choose one of the answers to question {item.number}, "
            "or leave it unanswered.",
        },
    )
