"""core.widgets: PlainSelect writes the same select as Django's template does."""

import re

import pytest
from django import forms

from core.widgets import PlainSelect


def _same(html):
    return re.sub(r"\s*\n\s*", "", html)


@pytest.mark.parametrize(
    ("choices", "value"),
    [
        ([("", "Any stage"), ("plan", "Planning"), ("review", "Review")], "plan"),
        ([("a", 'A & <b>"quoted"</b>'), ("b", "B")], None),
        ([("Group", [("1", "one"), ("2", "two")]), ("3", "three")], "2"),
        ([], None),
        ([("1", "one"), ("1", "one again"), (2, "two")], "1"),  # only the first is selected
        ([(None, "none"), (2, "two")], 2),
    ],
)
def test_plain_select_is_the_html_of_django_select(choices, value):
    attrs = {"class": "form-select", "id": "id_x", "aria-describedby": "x-help"}
    expected = forms.Select(attrs=attrs, choices=choices).render("x", value)
    assert _same(PlainSelect(attrs=attrs, choices=choices).render("x", value)) == _same(expected)


def test_plain_select_escapes_labels():
    html = PlainSelect(choices=[("<x>", "<script>alert(1)</script>")]).render("x", None)
    assert "<script>" not in html and "&lt;script&gt;" in html and 'value="&lt;x&gt;"' in html


def test_plain_select_in_a_form_is_the_html_of_django_select(team_a, owner, colleague):
    from accounts.models import User

    class Form(forms.Form):
        worker = forms.ModelChoiceField(User.objects.order_by("pk"), empty_label="Any")
        stage = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

    class PlainForm(Form):
        worker = forms.ModelChoiceField(
            User.objects.order_by("pk"), empty_label="Any", widget=PlainSelect
        )
        stage = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=PlainSelect)

    for data in (None, {"worker": str(colleague.pk), "stage": "b"}, {"worker": "nonsense"}):
        plain, django = PlainForm(data), Form(data)
        for name in ("worker", "stage"):
            assert _same(str(plain[name].as_widget())) == _same(str(django[name].as_widget()))
