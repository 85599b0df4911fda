"""The hidden fields that make a form safe to send: one mixin for every
versioned edit form and every create form."""

import copy
import uuid

from django import forms
from django.utils.functional import cached_property

from .http import TOKEN_FIELD, VERSION_FIELD, posted_version_and_token

MARK_FIELDS = (VERSION_FIELD, TOKEN_FIELD)


class OneQueryChoiceIterator(forms.models.ModelChoiceIterator):
    """A model choice field's options read in one plain query. Django's reads
    them with ``.iterator()``, which on PostgreSQL is a server-side cursor:
    DECLARE, FETCH and CLOSE, three round trips for a list of a dozen names on
    a page that must be quick. (Behind PgBouncer the settings turn such cursors
    off, and Django's is one query too.)"""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class HiddenMarkField(forms.Field):
    """A hidden value the form reads itself (see :class:`VersionAndTokenMixin`):
    whatever is posted, it never adds an error the user could not fix."""

    widget = forms.HiddenInput

    def __init__(self):
        super().__init__(required=False)

    def clean(self, value):
        return value


class VersionAndTokenMixin:
    """Adds the hidden ``version`` (editing a saved record) or
    ``submission_token`` (creating one) field, and reads it back safely.

    - An edit form (a ModelForm whose instance is saved, or a plain form given
      ``record=``) carries the record's ``version``; after a POST
      ``form.version`` is the posted one (None when missing or garbled, which
      the save treats as a conflict).
    - A create form carries a ``submission_token``: a new uuid4 on a blank
      form, the posted one on a bound form (a new one when the posted one is
      missing or garbled), as ``form.submission_token``.

    Neither value appears in ``cleaned_data`` or ``changed_data``: they are not
    the record's data. :meth:`for_saved` rebuilds a bound form on the version
    saved now, keeping what was typed (the conflict page).
    """

    def __new__(cls, *args, **kwargs):
        form = super().__new__(cls)
        # Every keyword the form was built with (subclasses take some of them
        # before this mixin sees the rest), for for_saved().
        form._init_kwargs = dict(kwargs)
        return form

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is None:
            record = getattr(self, "instance", None)
        self.record = record
        self.version = None
        self.submission_token = None
        posted = posted_version_and_token(self.data, self.prefix) if self.is_bound else None
        if record is not None and record.pk is not None:
            self.fields[VERSION_FIELD] = HiddenMarkField()
            if posted is not None:
                self.version = posted.version
            else:
                self.version = record.version
                self.initial[VERSION_FIELD] = record.version
        else:
            self.fields[TOKEN_FIELD] = HiddenMarkField()
            token = posted.submission_token if posted is not None else None
            if token is None:
                token = uuid.uuid4()
                if self.is_bound:
                    self._set_posted(TOKEN_FIELD, token)
                else:
                    self.initial[TOKEN_FIELD] = token
            self.submission_token = token

    def _set_posted(self, name, value):
        data = self.data.copy()
        data[self.add_prefix(name)] = str(value)
        self.data = data

    def full_clean(self):
        super().full_clean()
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned is not None:
            for name in MARK_FIELDS:
                cleaned.pop(name, None)

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name not in MARK_FIELDS]

    def conflict_value(self, record, name):
        """The value of field ``name`` as saved on ``record``, for the conflict page.

        Many-to-many fields give their objects. Forms override this for fields
        stored differently from how they are typed; raising ``AttributeError``
        leaves the field out of the comparison.
        """
        field = self.fields[name]
        value = getattr(record, name)
        if isinstance(field, forms.ModelMultipleChoiceField):
            return list(value.all())
        return value

    def for_saved(self, saved):
        """This bound form again, on the record as saved now: what was typed is
        kept and the version is the saved one, so sending it again replaces the
        saved version deliberately."""
        kwargs = {
            k: v for k, v in self._init_kwargs.items() if k not in ("data", "files", "record")
        }
        if isinstance(self, forms.BaseModelForm):
            # A copy: validating a ModelForm writes what was typed onto its
            # instance, and the page shows the saved record as it is.
            kwargs["instance"] = copy.copy(saved)
        else:
            kwargs["record"] = saved
        form = type(self)(self.data, self.files, **kwargs)
        form._set_posted(VERSION_FIELD, saved.version)
        form.version = saved.version
        return form
