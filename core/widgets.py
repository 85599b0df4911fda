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
    quick (rendering a template per option cost about 1 ms a select)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if o["value"] is None else str(o["value"]), _attrs(o["attrs"]), o["label"])
                    for o in options
                ),
            )
            if group_name:
                rendered = format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
            parts.append(rendered)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 - each part is escaped above
        )
