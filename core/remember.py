"""Figures that are costly to count and may be a few minutes old: counted once,
kept in the shared cache (the database cache, so every app instance sees the
same copy), and shown with the time they were counted.

A page that uses this says "Figures as of …" (``templates/core/_figures_as_of.html``)
and offers a way to count again now.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class Remembered:
    value: object
    as_of: datetime
    fresh: bool  # counted for this request rather than read from the cache
    kept_for: int  # seconds a copy is kept; 0 when nothing is kept

    @property
    def kept_for_words(self):
        """``kept_for`` as words: "5 minutes", "1 minute", "45 seconds"."""
        minutes, seconds = divmod(self.kept_for, 60)
        if seconds or not minutes:
            return f"{self.kept_for} second{'s' if self.kept_for != 1 else ''}"
        return f"{minutes} minute{'s' if minutes != 1 else ''}"


def remember(key, count, *, seconds, recount=False):
    """``count()``'s value, from the cache when a copy younger than ``seconds``
    is there (unless ``recount``), otherwise counted now and kept.

    ``seconds`` of 0 or less keeps nothing: every call counts. ``key`` must
    name everything the value depends on (the user and the filters), because
    whoever asks with the same key gets the same copy.
    """
    if seconds <= 0:
        return Remembered(count(), timezone.now(), fresh=True, kept_for=0)
    if not recount:
        kept = cache.get(key)
        if kept is not None:
            as_of, value = kept
            return Remembered(value, as_of, fresh=False, kept_for=seconds)
    value = count()
    as_of = timezone.now()
    cache.set(key, (as_of, value), seconds)
    return Remembered(value, as_of, fresh=True, kept_for=seconds)
