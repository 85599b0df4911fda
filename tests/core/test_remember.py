import pytest

from core.remember import Remembered, remember

pytestmark = pytest.mark.django_db


def counter():
    calls = []

    def count():
        calls.append(1)
        return len(calls)

    return count, calls


def test_a_kept_copy_is_read_until_asked_to_recount():
    count, calls = counter()
    first = remember("test:figures", count, seconds=60)
    again = remember("test:figures", count, seconds=60)
    assert (first.value, first.fresh) == (1, True)
    assert (again.value, again.fresh, again.as_of) == (1, False, first.as_of)
    recounted = remember("test:figures", count, seconds=60, recount=True)
    assert (recounted.value, recounted.fresh) == (2, True)
    assert len(calls) == 2


def test_no_seconds_keeps_nothing():
    count, calls = counter()
    remember("test:none", count, seconds=0)
    second = remember("test:none", count, seconds=0)
    assert second.value == 2 and second.fresh and second.kept_for == 0


def test_different_keys_keep_different_copies():
    count, _calls = counter()
    assert remember("test:a", count, seconds=60).value == 1
    assert remember("test:b", count, seconds=60).value == 2
    assert remember("test:a", count, seconds=60).value == 1


def test_figures_counted_from_a_copy_are_as_of_the_copy_and_kept_so():
    import datetime

    from django.utils import timezone

    copied = timezone.now() - datetime.timedelta(seconds=7)
    count, _calls = counter()
    first = remember("test:copy", count, seconds=60, copy_as_of=lambda: copied)
    again = remember("test:copy", count, seconds=60, copy_as_of=lambda: None)
    assert (first.as_of, first.from_copy) == (copied, True)
    assert (again.as_of, again.from_copy, again.fresh) == (copied, True, False)
    from_records = remember("test:copy", count, seconds=60, recount=True, copy_as_of=lambda: None)
    assert from_records.from_copy is False and from_records.as_of > copied


@pytest.mark.parametrize(
    "seconds,words",
    [(300, "5 minutes"), (60, "1 minute"), (45, "45 seconds"), (90, "90 seconds"), (1, "1 second")],
)
def test_how_long_copies_are_kept_reads_as_words(seconds, words):
    assert Remembered(None, None, fresh=True, kept_for=seconds).kept_for_words == words


# --- page parts kept by fingerprint ----------------------------------------------------


def test_a_kept_part_is_reused_only_while_its_fingerprint_holds(db):
    from core.remember import kept_while

    built = []

    def build(value):
        def _build():
            built.append(value)
            return {"html": value}

        return _build

    assert kept_while("part", "a", build("first"), seconds=60) == {"html": "first"}
    assert kept_while("part", "a", build("second"), seconds=60) == {"html": "first"}
    assert kept_while("part", "b", build("third"), seconds=60) == {"html": "third"}
    assert kept_while("part", "b", build("fourth"), seconds=0) == {"html": "fourth"}
    assert built == ["first", "third", "fourth"]


def test_keep_ready_says_whether_it_had_to_build(db):
    from core.remember import keep_ready, kept_fingerprints

    assert keep_ready("part", "a", lambda: "x", seconds=60) is True
    assert keep_ready("part", "a", lambda: "y", seconds=60) is False
    assert kept_fingerprints(["part", "missing"]) == {"part": "a"}
    assert keep_ready("part", "b", lambda: "z", seconds=60, kept={"part": "a"}) is True


def test_a_fingerprint_covers_the_settings_pages_show_and_the_language(settings):
    from django.utils import translation

    from core.remember import fingerprint

    first = fingerprint(1, "x")
    assert fingerprint(1, "x") == first and fingerprint(2, "x") != first
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "BACKUP_DIR": "/elsewhere"}
    assert fingerprint(1, "x") == first  # where backups go changes no page
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "NO_CONTACT_DAYS": 99}
    assert fingerprint(1, "x") != first
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "NO_CONTACT_DAYS": 28}
    with translation.override("cy"):
        assert fingerprint(1, "x") != first
