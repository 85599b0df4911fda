"""Form widgets every app's forms share."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


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


def _attrs(attrs):
    """HTML attributes as Django's ``attrs.html`` writes them, in order: a True
    value as a bare attribute, a False one left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PlainSelect(forms.Select):
    """A select written out directly rather than through a template for each
    option: the same HTML as Django's, for filter forms on pages that must be
    quick (rendering a template per option cost about 1 ms a select, and
    building Django's option dictionaries about half of what was left)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        found = False

        def option(option_value, label):
            nonlocal found
            text = "" if option_value is None else str(option_value)
            chosen = text in selected and not found
            found = found or chosen
            return format_html(
                '<option value="{}"{}>{}</option>', text, " selected" if chosen else "", label
            )

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # a group of options
                group = mark_safe("".join(option(v, sub) for v, sub in label))  # noqa: S308
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', option_value, group))
            else:
                parts.append(option(option_value, label))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attrs(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(parts)),  # noqa: S308 - each part is escaped above
        )
