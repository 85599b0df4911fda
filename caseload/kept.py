"""Parts of a person's pages kept while their records are unchanged.

A part is the HTML of one template worked out from one person's records: the
body of their summary page, of their network map, of their goals. It is the
same for everyone the access rules let see the person, so it is worked out once
and kept (``core.remember.kept_while``) under a fingerprint of the person's
data version (``caseload.data_versions``: database triggers move it on at any
change to anything about them), the settings pages show and, for a part that
says "overdue" or "this date has passed", today's date. The next visit reads
the copy in one query instead of the records in several.

What differs between visitors never goes into a copy. It stands in as a marker
and is put in on each visit:

- the visitor's CSRF token, in any form the part holds;
- the part's ``standins``: pieces only some visitors see (a supervisor's
  links), given by the view as ``fills``.

Each app registers its parts (:func:`register_part`, from its ``AppConfig.ready``)
so ``keep_ahead`` can work them out ahead of the day's visits
(:func:`keep_parts_ready`). Renames of staff and teams, which no person's
version covers, drop every kept part (``accounts.signals``).
"""

from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.remember import keep_ready, kept_fingerprints, kept_parts_seconds, kept_while

from .data_versions import fingerprint_of, with_data_version
from .models import ServiceUser

# Stands in for the visitor's CSRF token in a kept part (rendered as the
# ``csrf_token`` of the part's context) and is replaced by theirs on each visit.
CSRF_STANDIN = "cp-kept-part-csrf-token"
# How many people ``keep_parts_ready`` reads, and checks, at a time.
BATCH = 200


@dataclass(frozen=True)
class PersonPart:
    """One kept part: ``template`` rendered with ``context(person)`` (and
    ``person``). ``by_date``: the part reads today's date. ``keep``: names of
    values of the context kept with the HTML, for the rest of the page (a count
    shown in a tab). ``standins``: names the template shows as
    ``{{ standin.<name> }}``, filled on each visit. ``format``: raise it when
    the template or its context changes shape, so older copies are not read."""

    name: str
    template: str
    context: object
    by_date: bool = False
    keep: tuple = ()
    standins: tuple = ()
    format: int = 1

    def key(self, person):
        return f"caseload:part:{self.name}:{self.format}:{person.pk}"

    def fingerprint(self, person, version):
        today = timezone.localdate() if self.by_date else None
        return fingerprint_of({person.pk: version}, self.name, today)

    def build(self, person):
        context = self.context(person)
        html = render_to_string(
            self.template,
            {
                **context,
                "person": person,
                "csrf_token": CSRF_STANDIN,
                "standin": {name: _standin(name) for name in self.standins},
            },
        )
        return {"html": html, **{name: context[name] for name in self.keep}}


_PARTS = {}


def register_part(name, template, context, **options):
    """Register a kept part of a person's pages (from ``AppConfig.ready``;
    registering the same name again replaces it)."""
    _PARTS[name] = PersonPart(name, template, context, **options)
    return _PARTS[name]


def registered_parts():
    return list(_PARTS.values())


def _standin(name):
    return mark_safe(f"<!--cp-standin:{name}-->")  # noqa: S308 (a fixed marker)


def data_version_of(person):
    """The person's data version as read with the row (:func:`with_data_version`,
    as ``caseload.access.get_service_user_for`` does), else read now."""
    version = getattr(person, "data_version", None)
    if version is None:
        version = (
            with_data_version(ServiceUser.objects.filter(pk=person.pk))
            .values_list("data_version", flat=True)
            .first()
        ) or 0
    return version


def kept_part(request, person, name, *, fills=None):
    """The part ``name`` of ``person``'s page (fetched through the access rules
    for ``request.user``), from the kept copy while their records are unchanged:
    ``{"html": safe HTML, **kept values}``, with the visitor's CSRF token and
    ``fills`` (``{standin: HTML}``; a standin not given shows nothing) put in."""
    part = _PARTS[name]
    kept = kept_while(
        part.key(person),
        part.fingerprint(person, data_version_of(person)),
        lambda: part.build(person),
        seconds=kept_parts_seconds(),
    )
    html = kept["html"]
    if CSRF_STANDIN in html:
        html = html.replace(CSRF_STANDIN, get_token(request))
    for standin in part.standins:
        html = html.replace(_standin(standin), str((fills or {}).get(standin, "")))
    return {**kept, "html": mark_safe(html)}  # noqa: S308 (rendered from our templates)


def keep_parts_ready(people):
    """Work out and keep every registered part of each of ``people`` (ServiceUsers
    fetched through the access rules) whose copy is missing or out of date, a
    few hundred at a time. Returns how many parts were worked out."""
    seconds = kept_parts_seconds()
    parts = registered_parts()
    if seconds <= 0 or not parts:
        return 0
    built = 0
    for start in range(0, len(people), BATCH):
        ids = [person.pk for person in people[start : start + BATCH]]
        batch = list(
            with_data_version(ServiceUser.objects.filter(pk__in=ids)).select_related(
                "team", "allocated_worker", "consent_recorded_by"
            )
        )
        kept = kept_fingerprints(part.key(person) for person in batch for part in parts)
        for person in batch:
            for part in parts:
                fingerprint = part.fingerprint(person, person.data_version)
                built += keep_ready(
                    part.key(person),
                    fingerprint,
                    lambda part=part, person=person: part.build(person),
                    seconds=seconds,
                    kept=kept,
                )
    return built
