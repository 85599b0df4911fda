"""The version/token mixin every versioned edit form and create form uses."""

import uuid

import pytest
from django import forms

from core.forms import VersionAndTokenMixin
from goals.models import Step
from tests.goals.factories import GoalFactory, StepFactory

pytestmark = pytest.mark.django_db


class StepForm(VersionAndTokenMixin, forms.ModelForm):
    class Meta:
        model = Step
        fields = ["what", "who"]


class NoteForm(VersionAndTokenMixin, forms.Form):
    text = forms.CharField()


@pytest.fixture
def step(person):
    return StepFactory(goal=GoalFactory(service_user=person), what="Ring the choir")


def test_a_blank_create_form_gets_a_new_token_each_time():
    first, second = NoteForm(), NoteForm()
    assert isinstance(first.submission_token, uuid.UUID)
    assert first.submission_token != second.submission_token
    assert f'value="{first.submission_token}"' in str(first["submission_token"])
    assert "version" not in first.fields


def test_a_bound_create_form_keeps_the_posted_token():
    token = uuid.uuid4()
    form = NoteForm({"text": "Hello", "submission_token": str(token)})
    assert form.submission_token == token
    assert f'value="{token}"' in str(form["submission_token"])


@pytest.mark.parametrize("junk", ["", "not-a-uuid", "\x00"])
def test_a_garbled_token_is_replaced_and_never_an_error(junk):
    form = NoteForm({"text": "Hello", "submission_token": junk})
    assert form.is_valid(), form.errors
    assert isinstance(form.submission_token, uuid.UUID)
    assert f'value="{form.submission_token}"' in str(form["submission_token"])


def test_an_edit_form_carries_the_instances_version(step):
    step.version = 4
    form = StepForm(instance=step)
    assert form.version == 4
    assert 'name="version" value="4"' in str(form["version"])
    assert "submission_token" not in form.fields and form.submission_token is None


@pytest.mark.parametrize(("posted", "version"), [("2", 2), ("abc", None), ("", None)])
def test_a_bound_edit_form_reads_the_posted_version(step, posted, version):
    form = StepForm({"what": "Ring", "who": "worker", "version": posted}, instance=step)
    assert form.is_valid(), form.errors
    assert form.version == version


def test_a_plain_form_can_edit_a_record(step):
    form = NoteForm(record=step)
    assert form.version == step.version and "submission_token" not in form.fields


def test_the_hidden_values_are_not_the_records_data(step):
    form = StepForm({"what": "Ring", "who": step.who, "version": "9"}, instance=step)
    assert form.is_valid()
    assert set(form.cleaned_data) == {"what", "who"}
    assert form.changed_data == ["what"]
    create = NoteForm({"text": "Hi", "submission_token": str(uuid.uuid4())})
    assert create.is_valid() and create.changed_data == ["text"]
    assert set(create.cleaned_data) == {"text"}


def test_for_saved_keeps_what_was_typed_on_the_saved_version(step):
    form = StepForm({"what": "Typed by me", "who": "worker", "version": "1"}, instance=step)
    Step.objects.filter(pk=step.pk).update(what="Saved by someone", version=5)
    saved = Step.objects.get(pk=step.pk)
    again = form.for_saved(saved)
    assert again.instance.pk == saved.pk
    assert again.version == 5
    assert 'value="5"' in str(again["version"])
    assert again["what"].value() == "Typed by me"
    assert form.version == 1  # the stale form itself is unchanged
    assert again.is_valid()
    assert saved.what == "Saved by someone"  # validating did not write onto the saved record
