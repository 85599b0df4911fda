"""Figures that are costly to count and may be a few minutes old: counted once,
kept in the shared cache (the database cache, so every app instance sees the
same copy), and shown with the time they were counted.

A page that uses this says "Figures as of …" (``templates/core/_figures_as_of.html``)
and offers a way to count again now.

:func:`kept_while` is the other kind of keeping: a page part that is never
out of date, reused only while a fingerprint of everything it was worked out
from is unchanged (the board: the versions of the caseload's records, today's
date and the product's settings).
"""

import hashlib
import pickle
import zlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone, translation


@dataclass(frozen=True)
class Remembered:
    value: object
    as_of: datetime
    fresh: bool  # counted for this request rather than read from the cache
    kept_for: int  # seconds a copy is kept; 0 when nothing is kept
    # Counted from the reporting copy (a read replica): ``as_of`` is then the
    # time of the last change the copy had, not the time of counting.
    from_copy: bool = False

    @property
    def kept_for_words(self):
        """``kept_for`` as words: "5 minutes", "1 minute", "45 seconds"."""
        minutes, seconds = divmod(self.kept_for, 60)
        if seconds or not minutes:
            return f"{self.kept_for} second{'s' if self.kept_for != 1 else ''}"
        return f"{minutes} minute{'s' if minutes != 1 else ''}"


def remember(key, count, *, seconds, recount=False, copy_as_of=None):
    """``count()``'s value, from the cache when a copy younger than ``seconds``
    is there (unless ``recount``), otherwise counted now and kept.

    ``seconds`` of 0 or less keeps nothing: every call counts. ``key`` must
    name everything the value depends on (the user and the filters), because
    whoever asks with the same key gets the same copy.

    ``copy_as_of``: a callable giving, when the figures are counted from the
    reporting copy of the records, the time of its last change (None when they
    are counted from the records themselves); that time is then the figures'.
    """
    if not recount and seconds > 0:
        kept = cache.get(key)
        if kept is not None:
            as_of, value, from_copy = kept
            return Remembered(value, as_of, fresh=False, kept_for=seconds, from_copy=from_copy)
    value = count()
    copied = copy_as_of() if copy_as_of else None
    as_of = copied or timezone.now()
    kept_for = max(seconds, 0)
    if kept_for:
        cache.set(key, (as_of, value, copied is not None), kept_for)
    return Remembered(value, as_of, fresh=True, kept_for=kept_for, from_copy=copied is not None)


# The cache of page parts kept by fingerprint: a database cache of its own, so
# a part for each user never pushes the shared cache's sign-in limits out.
KEPT_PARTS = "kept"


# Product settings no page part shows: where backups go (a path that differs
# between checkouts) and how long copies are kept.
NOT_SHOWN = {
    "BACKUP_DIR",
    "KEPT_PARTS_SECONDS",
    "DASHBOARD_FIGURES_SECONDS",
    "ORUK_FEED_CACHE_SECONDS",
}


def kept_parts_seconds():
    """``CP_KEPT_PARTS_SECONDS``: the longest a page part kept by fingerprint is reused."""
    return settings.CONNECTING_PEOPLE["KEPT_PARTS_SECONDS"]


def fingerprint(*parts):
    """A short digest of ``parts`` (their ``repr``), with the product's
    settings and the active language, which every page part depends on."""
    shown = sorted(
        (name, value) for name, value in settings.CONNECTING_PEOPLE.items() if name not in NOT_SHOWN
    )
    digest = hashlib.sha256()
    digest.update(repr(shown).encode())
    digest.update(repr((translation.get_language(), parts)).encode())
    return digest.hexdigest()


def kept_while(key, fingerprint, build, *, seconds):
    """``build()``'s value, reused from the kept-parts cache while the copy kept
    under ``key`` was built with the same ``fingerprint``; otherwise built now
    and kept for up to ``seconds`` (0 or less: built every time).

    ``fingerprint`` must change whenever anything the value is built from does,
    so a copy read back is always the value ``build()`` would give: read it
    *before* the records it covers, so a change made meanwhile is caught next time.
    """
    return _kept_or_built(key, fingerprint, build, seconds)[0]


def keep_ready(key, fingerprint, build, *, seconds, kept=None):
    """Make sure the copy under ``key`` holds for ``fingerprint`` (a job keeping
    page parts ready ahead of visits); True when it had to be built. ``kept``:
    the copies already read for a batch (:func:`kept_fingerprints`)."""
    if kept is not None and kept.get(key) == fingerprint:
        return False
    return _kept_or_built(key, fingerprint, build, seconds)[1]


def kept_fingerprints(keys):
    """``{key: fingerprint}`` of the copies kept under ``keys``, in one read."""
    return {key: copy[0] for key, copy in caches[KEPT_PARTS].get_many(list(keys)).items()}


def forget_kept_parts():
    """Drop every kept page part: for a change no fingerprint covers (a member
    of staff renamed) and after an erasure, so no copy outlives the records."""
    caches[KEPT_PARTS].clear()


def _kept_or_built(key, fingerprint, build, seconds):
    if seconds <= 0:
        return build(), True
    store = caches[KEPT_PARTS]
    kept = store.get(key)
    if kept is not None and kept[0] == fingerprint:
        return pickle.loads(zlib.decompress(kept[1])), False  # noqa: S301 (our own copy)
    value = build()
    # Page parts are mostly HTML: compressed, a journey's ~25 KB keeps in ~4 KB.
    store.set(key, (fingerprint, zlib.compress(pickle.dumps(value), 1)), seconds)
    return value, True
