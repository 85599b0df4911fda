"""Links to a person's pages, reversed once and filled in per person.

Lists and the board link up to a few hundred people, and the journey links every
event; ``reverse()`` for each costs more than the rest of building the page.
A ``PersonLink`` reverses its URL name once with placeholder ids and then only
substitutes the person's (and the child object's) public id.
"""

import functools
import uuid

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_PERSON = uuid.UUID("00000000-0000-4000-8000-00000000000a")
_CHILD = uuid.UUID("00000000-0000-4000-8000-00000000000b")


class PersonLink:
    """The URL named ``url_name`` taking the person's ``public_id`` (and, with
    ``child_kwarg``, one more public id), or "" when the name does not reverse."""

    def __init__(self, url_name, child_kwarg=None):
        self.url_name = url_name
        self.child_kwarg = child_kwarg
        self._patterns = {}

    def _pattern(self):
        key = (get_urlconf(), get_script_prefix())
        if key not in self._patterns:
            kwargs = {"public_id": _PERSON}
            if self.child_kwarg:
                kwargs[self.child_kwarg] = _CHILD
            try:
                url = reverse(self.url_name, kwargs=kwargs)
            except NoReverseMatch:
                url = None
            self._patterns[key] = url
        return self._patterns[key]

    def for_person(self, person, child_public_id=None):
        return self.for_public_id(person.public_id, child_public_id)

    def for_public_id(self, public_id, child_public_id=None):
        """:meth:`for_person` for a person's ``public_id`` read as a value."""
        url = self._pattern()
        if url is None:
            return ""
        url = url.replace(str(_PERSON), str(public_id))
        if self.child_kwarg:
            url = url.replace(str(_CHILD), str(child_public_id))
        return url


@functools.cache
def person_link(url_name, child_kwarg=None):
    """The shared :class:`PersonLink` for ``url_name``."""
    return PersonLink(url_name, child_kwarg)
