"""Form widgets every app's forms share."""

from django import forms


class RadioSelect(forms.RadioSelect):
    """Radios whose field "label" points at the first option, so the error
    summary's link moves focus to the group (Django's returns no id)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class DateInput(forms.DateInput):
    """The browser's date picker, sent and shown as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
