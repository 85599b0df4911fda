"""Import Open Referral UK / HSDS 3 JSON into the directory, idempotently by feed ids.

Accepted documents: a single service; a paginated list (``contents``) of
services, organisations, services at locations, taxonomies or taxonomy terms; an
organisation with its ``services``; a service at location; or a bare JSON list.

Everything is read and checked first (``parse_documents``), then written in one
transaction (``import_batch``): a file that is rejected writes nothing. Services
are matched on their feed id, so importing the same feed again updates what is
there and never duplicates it. The whole service is kept: every location and
address, phones, contacts, schedules, service areas, languages, funding, cost
options, eligibility and accessibility.

Ids are scoped: a file import keeps the feed's UUIDs as ours; a feed
subscription (``scope`` = the subscription's id) maps every id through
``uuid5(scope, kind:id)``, so two feeds that use the same ids stay separate.

Writing is done in bulk, a fixed number of queries per chunk of services, and a
service whose document has not changed since the last import (same
fingerprint) is not written at all.
"""

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

ID_NAMESPACE = uuid.UUID("6f1f7a52-5b1a-4c0e-9f57-2a3c1e0d7b11")
# Part of every service's fingerprint: raising it makes the next import rewrite
# every service once (for when this module learns to keep something new).
PARSER_VERSION = "2"
CHUNK = 500
SERVICE_STATUSES = {choice.value for choice in Service.Status}
TAXONOMY_KEYS = {"id", "name", "description", "uri", "version"}
TERM_KEYS = {
    "id", "name", "description", "parent_id", "taxonomy", "taxonomy_id", "taxonomy_detail",
    "term_uri", "term", "code", "language",
}  # fmt: skip
TERM_MARKERS = {
    "parent_id", "taxonomy", "taxonomy_id", "taxonomy_detail", "term_uri", "term", "code",
}  # fmt: skip


class ImportRejected(Exception):
    """The document cannot be imported; the message says why, in plain words."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    withdrawn: int = 0
    organizations: int = 0
    taxonomy_terms: int = 0
    notes: list = field(default_factory=list)

    @property
    def summary(self):
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}"
        )


@dataclass
class Batch:
    scope: uuid.UUID | None = None
    services: list = field(default_factory=list)
    organizations: dict = field(default_factory=dict)
    taxonomies: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)

    def uuid(self, value, *, kind, fallback=None):
        return feed_uuid(value, kind=kind, fallback=fallback, scope=self.scope)


# Value helpers --------------------------------------------------------------


def feed_uuid(value, *, kind, fallback=None, scope=None):
    """The feed's id as a UUID; a non-UUID id maps to a stable UUID derived from it.

    With ``scope`` (a feed subscription's id) every id is derived from the scope
    and the id, so the same id in two feeds gives two different UUIDs.
    """
    if value is None or value == "":
        if fallback is None:
            return None
        value = fallback
    text = str(value).strip()
    if scope is not None:
        return uuid.uuid5(scope, f"{kind}:{text}")
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.uuid5(ID_NAMESPACE, f"{kind}:{text}")


def text(value, limit=None):
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return ""
    value = str(value).replace("\x00", "").strip()
    return value[:limit] if limit else value


def web_address(value, limit=500):
    """An http(s) address or "": anything else (javascript:, data: …) is dropped."""
    value = text(value, limit)
    return value if value.lower().startswith(("http://", "https://")) else ""


def email_address(value):
    value = text(value, 254)
    return value if "@" in value and " " not in value else ""


def _where(context, key):
    return f"{context}: '{key}'"


def as_date(value, context, key):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ImportRejected(
            f"{_where(context, key)} is '{value}', which is not a date (expected YYYY-MM-DD)."
        ) from None


def as_time(value, context, key):
    if value in (None, ""):
        return None
    raw = str(value).strip().upper().rstrip("Z")
    for sign in ("+", "-"):
        if sign in raw:
            raw = raw.split(sign)[0]
    try:
        return datetime.time.fromisoformat(raw)
    except ValueError:
        raise ImportRejected(
            f"{_where(context, key)} is '{value}', which is not a time (expected HH:MM)."
        ) from None


def as_datetime(value, context, key):
    if value in (None, ""):
        return None
    try:
        parsed = parse_datetime(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise ImportRejected(f"{_where(context, key)} is '{value}', which is not a date and time.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def as_int(value, context, key, *, maximum=32767):
    if value in (None, ""):
        return None
    try:
        number = int(float(value))
    except (TypeError, ValueError, OverflowError):
        message = f"{_where(context, key)} is '{value}', which is not a number."
        raise ImportRejected(message) from None
    if number < 0 or number > maximum:
        raise ImportRejected(f"{_where(context, key)} is {value}, which is out of range.")
    return number


def as_decimal(value, context, key, *, digits=9, places=2):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    except (InvalidOperation, ValueError):
        message = f"{_where(context, key)} is '{value}', which is not a number."
        raise ImportRejected(message) from None
    if abs(number) >= Decimal(10) ** (digits - places):
        raise ImportRejected(f"{_where(context, key)} is {value}, which is out of range.")
    return number


def as_list(item, key, context):
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise ImportRejected(f"{_where(context, key)} should be a list of objects.")
    return value


def as_object(item, key, context):
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ImportRejected(f"{_where(context, key)} should be an object.")
    return value


def fingerprint(item):
    """A stable digest of a service document, to tell whether it changed."""
    data = json.dumps(item, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{PARSER_VERSION}:{data}".encode()).hexdigest()


# Reading ----------------------------------------------------------------------


def load_json(raw, *, source):
    """Parse bytes or text as JSON, or reject with the position of the fault."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected(f"{source} is not a JSON file (it is not UTF-8 text).") from None
    if not raw.strip():
        raise ImportRejected(f"{source} is empty.")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise ImportRejected(f"{source} is nested too deeply to read.") from None


def classify(item):
    if "services" in item and isinstance(item.get("services"), list):
        return "organization"
    if isinstance(item.get("service"), dict) and isinstance(item.get("location"), dict):
        return "service_at_location"
    keys = set(item)
    if keys <= TAXONOMY_KEYS and keys & {"uri", "version"} and "name" in keys:
        return "taxonomy"
    if keys <= TERM_KEYS and keys & TERM_MARKERS and "name" in keys:
        return "taxonomy_term"
    return "service"


def parse_documents(documents, *, scope=None):
    """Check every (source, parsed JSON) pair and gather them into one Batch."""
    batch = Batch(scope=scope)
    for source, document in documents:
        _collect(batch, document, source)
    return batch


def document_items(document, source):
    """The objects of one document: its ``contents``, the list itself, or the object."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and "contents" in document:
        items = document["contents"]
        if not isinstance(items, list):
            raise ImportRejected(f"{source}: 'contents' should be a list.")
        return items
    if isinstance(document, dict):
        return [document]
    raise ImportRejected(
        f"{source} is JSON but not an Open Referral UK document: expected an object "
        "(a service, organisation or list with 'contents'), not "
        f"{type(document).__name__}."
    )


def _collect(batch, document, source):
    items = document_items(document, source)
    listed = isinstance(document, dict) and "contents" in document
    for index, item in enumerate(items, start=1):
        where = f"{source}, item {index}" if len(items) > 1 or listed else source
        collect_item(batch, item, where)


def collect_item(batch, item, where):
    """Read one object of a document into ``batch`` (raises ImportRejected)."""
    if not isinstance(item, dict):
        raise ImportRejected(f"{where} is not an object.")
    kind = classify(item)
    if kind == "organization":
        org = _parse_organization(batch, item, where)
        for position, service in enumerate(as_list(item, "services", where), start=1):
            _add_service(batch, service, f"{where}, service {position}", org_id=org)
    elif kind == "service_at_location":
        service = dict(item["service"])
        links = list(as_list(service, "service_at_locations", where))
        if not any(link.get("id") == item.get("id") for link in links):
            links.append({"id": item.get("id"), "location": item["location"]})
        service["service_at_locations"] = links
        _add_service(batch, service, where)
    elif kind == "taxonomy":
        _parse_taxonomy(batch, item, where)
    elif kind == "taxonomy_term":
        _parse_term(batch, item, where)
    else:
        _add_service(batch, item, where)


def _parse_organization(batch, item, where):
    name = text(item.get("name"), 255)
    if not name:
        raise ImportRejected(f"{where}: an organisation has no name. Every organisation needs one.")
    if item.get("id") in (None, ""):
        raise ImportRejected(f"{where}: organisation '{name}' has no id.")
    public_id = batch.uuid(item.get("id"), kind="organization")
    batch.organizations[public_id] = {
        "name": name,
        "description": text(item.get("description")),
        "email": email_address(item.get("email")),
        "website": web_address(item.get("website") or item.get("url") or item.get("uri")),
    }
    return public_id


def _parse_taxonomy(batch, item, where):
    name = text(item.get("name"), 255)
    if not name:
        raise ImportRejected(f"{where}: a taxonomy has no name.")
    public_id = batch.uuid(item.get("id"), kind="taxonomy", fallback=name)
    batch.taxonomies[public_id] = {
        "name": name,
        "description": text(item.get("description")),
        "uri": web_address(item.get("uri")),
        "version": text(item.get("version"), 50),
    }
    return public_id


def _parse_term(batch, item, where):
    name = text(item.get("name") or item.get("term"), 255)
    if not name:
        raise ImportRejected(f"{where}: a taxonomy term has no name.")
    public_id = batch.uuid(item.get("id"), kind="taxonomy_term", fallback=name)
    taxonomy_id = None
    detail = item.get("taxonomy_detail")
    if isinstance(detail, dict) and detail.get("name"):
        taxonomy_id = _parse_taxonomy(batch, detail, where)
    elif item.get("taxonomy_id"):
        taxonomy_id = batch.uuid(item["taxonomy_id"], kind="taxonomy")
        if taxonomy_id not in batch.taxonomies and isinstance(item.get("taxonomy"), str):
            batch.taxonomies[taxonomy_id] = {"name": text(item["taxonomy"], 255)}
    elif isinstance(item.get("taxonomy"), str) and item["taxonomy"].strip():
        taxonomy_id = _parse_taxonomy(batch, {"name": item["taxonomy"]}, where)
    batch.terms[public_id] = {
        "name": name,
        "description": text(item.get("description")),
        "code": text(item.get("code") or item.get("term"), 255),
        "term_uri": web_address(item.get("term_uri")),
        "parent_public_id": batch.uuid(item.get("parent_id"), kind="taxonomy_term"),
        "taxonomy_id": taxonomy_id,
    }
    return public_id


def _parse_phones(batch, entries, context, *, owner):
    phones = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ImportRejected(f"{_where(context, 'phones')} should be a list of objects.")
        number = text(entry.get("number"), 40)
        if not number:
            continue
        phones.append(
            {
                "public_id": batch.uuid(entry.get("id"), kind="phone", fallback=f"{owner}:{n}"),
                "number": number,
                "extension": text(entry.get("extension"), 20),
                "type": text(entry.get("type"), 40),
                "description": text(entry.get("description"), 255),
            }
        )
    return phones


def _parse_schedules(batch, item, context, raw_id):
    schedules = []
    for n, entry in enumerate(as_list(item, "schedules", context), start=1):
        freq = text(entry.get("freq")).upper()
        schedules.append(
            {
                "public_id": batch.uuid(entry.get("id"), kind="schedule", fallback=f"{raw_id}:{n}"),
                "freq": freq if freq in {"WEEKLY", "MONTHLY"} else "",
                "interval": as_int(entry.get("interval"), context, "schedules.interval"),
                "byday": text(entry.get("byday"), 60).upper(),
                "bymonthday": text(entry.get("bymonthday"), 60),
                "opens_at": as_time(entry.get("opens_at"), context, "schedules.opens_at"),
                "closes_at": as_time(entry.get("closes_at"), context, "schedules.closes_at"),
                "valid_from": as_date(entry.get("valid_from"), context, "schedules.valid_from"),
                "valid_to": as_date(entry.get("valid_to"), context, "schedules.valid_to"),
                "dtstart": as_date(entry.get("dtstart"), context, "schedules.dtstart"),
                "description": text(entry.get("description")),
                "schedule_link": web_address(entry.get("schedule_link")),
                "attending_type": text(entry.get("attending_type"), 255),
                "notes": text(entry.get("notes")),
            }
        )
    return schedules


def _parse_contacts(batch, item, context, raw_id):
    contacts = []
    for n, entry in enumerate(as_list(item, "contacts", context), start=1):
        public_id = batch.uuid(entry.get("id"), kind="contact", fallback=f"{raw_id}:{n}")
        phones = _parse_phones(
            batch, as_list(entry, "phones", context), context, owner=f"contact:{public_id}"
        )
        contacts.append(
            {
                "public_id": public_id,
                "name": text(entry.get("name"), 255),
                "title": text(entry.get("title"), 255),
                "department": text(entry.get("department"), 255),
                "email": email_address(entry.get("email")),
                "phone": phones[0]["number"] if phones else "",
                "phones": phones,
            }
        )
    return contacts


def _parse_simple(batch, item, key, context, raw_id, kind, fields):
    """A list of flat child objects: ``fields`` maps our field to (their keys, limit)."""
    rows = []
    for n, entry in enumerate(as_list(item, key, context), start=1):
        row = {"public_id": batch.uuid(entry.get("id"), kind=kind, fallback=f"{raw_id}:{n}")}
        for name, (keys, limit) in fields.items():
            value = next((entry.get(k) for k in keys if entry.get(k) not in (None, "")), "")
            row[name] = web_address(value, limit) if name == "uri" else text(value, limit)
        rows.append(row)
    return rows


def _parse_costs(batch, item, context, raw_id):
    costs = []
    for n, entry in enumerate(as_list(item, "cost_options", context), start=1):
        costs.append(
            {
                "public_id": batch.uuid(entry.get("id"), kind="cost", fallback=f"{raw_id}:{n}"),
                "option": text(entry.get("option"), 255),
                "amount": as_decimal(entry.get("amount"), context, "cost_options.amount"),
                "amount_description": text(entry.get("amount_description"), 255),
                "valid_from": as_date(entry.get("valid_from"), context, "cost_options.valid_from"),
                "valid_to": as_date(entry.get("valid_to"), context, "cost_options.valid_to"),
            }
        )
    return costs


def _add_service(batch, item, where, *, org_id=None):
    if not isinstance(item, dict):
        raise ImportRejected(f"{where} is not an object.")
    raw_id = item.get("id")
    name = text(item.get("name"), 255)
    if raw_id in (None, "") and not name:
        raise ImportRejected(
            f"{where} is not an Open Referral UK service, organisation, service at location or "
            "taxonomy term: it has neither an 'id' nor a 'name'."
        )
    if not name:
        raise ImportRejected(f"{where}: service {raw_id} has no name. Every service needs a name.")
    if raw_id in (None, "") or isinstance(raw_id, (dict, list)):
        raise ImportRejected(f"{where}: service '{name}' has no id, so it cannot be matched later.")
    context = f"{where} (service '{name}')"
    public_id = batch.uuid(raw_id, kind="service")
    status = text(item.get("status") or "active").lower()
    if status not in SERVICE_STATUSES:
        raise ImportRejected(
            f"{context}: status '{status}' is not one of active, inactive, defunct, "
            "temporarily closed."
        )
    organization = as_object(item, "organization", context)
    if organization:
        org_id = _parse_organization(batch, organization, context)
    elif item.get("organization_id"):
        org_id = batch.uuid(item["organization_id"], kind="organization")

    minimum_age = as_int(item.get("minimum_age"), context, "minimum_age", maximum=200)
    maximum_age = as_int(item.get("maximum_age"), context, "maximum_age", maximum=200)
    fees = text(item.get("fees_description") or item.get("fees"))
    costs = _parse_costs(batch, item, context, raw_id)
    phones = _parse_phones(
        batch, as_list(item, "phones", context), context, owner=f"service:{raw_id}"
    )

    links = []
    for n, entry in enumerate(as_list(item, "service_at_locations", context), start=1):
        location = as_object(entry, "location", context)
        location_id = (location or {}).get("id") or entry.get("location_id")
        if not location_id:
            continue
        links.append(
            {
                "public_id": batch.uuid(entry.get("id"), kind="sal", fallback=f"{raw_id}:{n}"),
                "location_id": batch.uuid(location_id, kind="location"),
                "location": _parse_location(batch, location, context) if location else None,
            }
        )
    categories = []
    for entry in as_list(item, "attributes", context):
        term = as_object(entry, "taxonomy_term", context)
        if term:
            categories.append(_parse_term(batch, term, context))
        elif entry.get("taxonomy_term_id"):
            categories.append(batch.uuid(entry["taxonomy_term_id"], kind="taxonomy_term"))
    for entry in as_list(item, "taxonomy_terms", context):  # some HSDS 3 feeds list them directly
        categories.append(_parse_term(batch, entry, context))

    amounts = [cost["amount"] for cost in costs if cost["amount"] is not None]
    is_free = (
        any(amount > 0 for amount in amounts) is False
        and (not fees or "free" in fees.lower())
        and (bool(amounts) or "free" in fees.lower())
    )
    batch.services.append(
        {
            "public_id": public_id,
            "source_id": text(raw_id, 255),
            "hash": fingerprint(item),
            "organization_id": org_id,
            "fields": {
                "name": name,
                "description": text(item.get("description")),
                "status": status,
                "url": web_address(item.get("url")),
                "email": email_address(item.get("email")),
                "phone": phones[0]["number"] if phones else "",
                "fees_description": fees,
                "is_free": is_free,
                "eligibility_description": text(item.get("eligibility_description")),
                "minimum_age": minimum_age,
                "maximum_age": maximum_age,
                "accreditations": text(item.get("accreditations")),
                "alert": text(item.get("alert")),
                "assured_date": as_date(item.get("assured_date"), context, "assured_date"),
                "assurer_email": email_address(item.get("assurer_email")),
                "last_modified": as_datetime(item.get("last_modified"), context, "last_modified"),
            },
            "schedules": _parse_schedules(batch, item, context, raw_id),
            "contacts": _parse_contacts(batch, item, context, raw_id),
            "costs": costs,
            "phones": phones,
            "service_areas": _parse_simple(
                batch,
                item,
                "service_areas",
                context,
                raw_id,
                "service_area",
                {
                    "name": (["name"], 255),
                    "description": (["service_area", "description"], None),
                    "extent": (["extent"], None),
                    "extent_type": (["extent_type"], 40),
                    "uri": (["uri"], 500),
                },
            ),
            "languages": _parse_simple(
                batch,
                item,
                "languages",
                context,
                raw_id,
                "language",
                {
                    "name": (["name", "language"], 100),
                    "code": (["code"], 20),
                    "note": (["note"], 255),
                },
            ),
            "funding": _parse_simple(
                batch, item, "funding", context, raw_id, "funding", {"source": (["source"], None)}
            ),
            "links": links,
            "categories": categories,
        }
    )


def _parse_location(batch, item, context):
    location_type = text(item.get("location_type") or "physical").lower()
    if location_type not in {choice.value for choice in Location.LocationType}:
        location_type = Location.LocationType.PHYSICAL
    location_id = item.get("id")
    addresses = []
    for n, address in enumerate(as_list(item, "addresses", context), start=1):
        address_type = text(address.get("address_type")).lower()
        addresses.append(
            {
                "public_id": batch.uuid(
                    address.get("id"), kind="address", fallback=f"{location_id}:{n}"
                ),
                "attention": text(address.get("attention"), 255),
                "address_1": text(address.get("address_1"), 255),
                "address_2": text(address.get("address_2"), 255),
                "city": text(address.get("city"), 120),
                "region": text(address.get("region"), 120),
                "state_province": text(address.get("state_province"), 120),
                "postal_code": text(address.get("postal_code"), 20),
                "country": text(address.get("country"), 2).upper(),
                "address_type": address_type if address_type in Address.AddressType.values else "",
            }
        )
    first = addresses[0] if addresses else {}
    accessibility = []
    for n, entry in enumerate(as_list(item, "accessibility", context), start=1):
        accessibility.append(
            {
                "public_id": batch.uuid(
                    entry.get("id"), kind="accessibility", fallback=f"{location_id}:{n}"
                ),
                "description": text(entry.get("description") or entry.get("accessibility")),
                "details": text(entry.get("details")),
                "url": web_address(entry.get("url")),
            }
        )

    def coordinate(key):
        value = as_decimal(item.get(key), context, f"location.{key}", digits=9, places=6)
        return value if value is not None and abs(value) <= 180 else None

    return {
        "fields": {
            "location_type": location_type,
            "name": text(item.get("name"), 255),
            "description": text(item.get("description")),
            "latitude": coordinate("latitude"),
            "longitude": coordinate("longitude"),
            "external_identifier": text(item.get("external_identifier"), 255),
            "external_identifier_type": text(item.get("external_identifier_type"), 255),
            "address_public_id": first.get("public_id"),
            "address_1": first.get("address_1", ""),
            "city": first.get("city", ""),
            "region": first.get("region", ""),
            "state_province": first.get("state_province", ""),
            "postal_code": first.get("postal_code", ""),
            "country": first.get("country", ""),
        },
        "addresses": addresses,
        "accessibility": accessibility,
        "phones": _parse_phones(
            batch, as_list(item, "phones", context), context, owner=f"location:{location_id}"
        ),
    }


# Writing --------------------------------------------------------------------


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(model, public_ids, *, queryset=None):
    found = {}
    queryset = queryset if queryset is not None else model.objects.all()
    for chunk in _chunks(public_ids):
        found.update({row.public_id: row for row in queryset.filter(public_id__in=chunk)})
    return found


def _upsert(model, rows):
    """Create or update ``rows`` ({public_id: field values}) in bulk; returns
    {public_id: instance}. Only rows whose values differ are written."""
    existing = _existing(model, rows)
    new, changed, names = [], [], set()
    for public_id, values in rows.items():
        row = existing.get(public_id)
        if row is None:
            row = model(public_id=public_id, **values)
            new.append(row)
            existing[public_id] = row
            continue
        differs = [name for name, value in values.items() if getattr(row, name) != value]
        if differs:
            for name in differs:
                setattr(row, name, values[name])
            names.update(differs)
            changed.append(row)
    model.objects.bulk_create(new, batch_size=CHUNK)
    if changed:
        model.objects.bulk_update(changed, sorted(names), batch_size=CHUNK)
    return existing


def _replace_children(model, parent_field, parent_ids, rows):
    """Delete the children of ``parent_ids`` (and any row holding one of the new
    public ids), then create ``rows``: a fixed number of queries per chunk."""
    new_ids = [row.public_id for row in rows]
    for chunk in _chunks(parent_ids):
        model.objects.filter(**{f"{parent_field}__in": chunk}).delete()
    for chunk in _chunks(new_ids):
        model.objects.filter(public_id__in=chunk).delete()
    model.objects.bulk_create(rows, batch_size=CHUNK)


class _Ids:
    """Hands out child public ids, deriving a fresh one when a feed repeats an id."""

    def __init__(self):
        self.seen = set()

    def __call__(self, public_id, owner):
        if public_id in self.seen:
            public_id = uuid.uuid5(public_id, str(owner))
        self.seen.add(public_id)
        return public_id


def _search_text(entry, organization, terms, locations):
    fields = entry["fields"]
    parts = [fields["name"], fields["description"], fields["eligibility_description"]]
    if organization is not None:
        parts.append(organization.name)
    parts += [terms[t].name for t in entry["categories"] if t in terms]
    for link in entry["links"]:
        location = locations.get(link["location_id"])
        if location is not None:
            parts += [location.name, location.address_1, location.city, location.postal_code]
    return "\n".join(part for part in parts if part)


@transaction.atomic
def import_batch(batch, *, feed=None, withdraw_missing=False):
    """Write a checked Batch; returns counts. All or nothing.

    With ``feed``, services are tied to that subscription; with
    ``withdraw_missing`` too, the feed's services that the batch no longer lists
    are marked withdrawn (never deleted), and listed ones that were withdrawn
    come back.
    """
    result = ImportResult()
    taxonomies = _upsert(Taxonomy, batch.taxonomies)
    term_rows = {}
    for public_id, values in batch.terms.items():
        values = dict(values)
        values["taxonomy"] = taxonomies.get(values.pop("taxonomy_id"))
        term_rows[public_id] = values
    terms = _upsert(TaxonomyTerm, term_rows)
    result.taxonomy_terms = len(term_rows)
    organizations = _upsert(Organization, batch.organizations)
    result.organizations = len(batch.organizations)

    entries, seen = [], set()
    for entry in batch.services:
        if entry["public_id"] in seen:
            result.skipped += 1
            continue
        seen.add(entry["public_id"])
        entries.append(entry)

    referenced_orgs = {e["organization_id"] for e in entries} - set(organizations) - {None}
    organizations.update(_existing(Organization, referenced_orgs))
    referenced_terms = {t for e in entries for t in e["categories"]} - set(terms)
    terms.update(_existing(TaxonomyTerm, referenced_terms))

    locked = Service.objects.select_for_update()
    existing = _existing(Service, [e["public_id"] for e in entries], queryset=locked)
    now = timezone.now()
    to_write = []
    for entry in entries:
        service = existing.get(entry["public_id"])
        if service is None:
            result.created += 1
        elif service.source_hash == entry["hash"] and not service.is_withdrawn:
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        to_write.append(entry)

    location_rows = {}
    for entry in to_write:
        for link in entry["links"]:
            if link["location"] is not None:
                location_rows[link["location_id"]] = link["location"]
    locations = _upsert(Location, {pk: data["fields"] for pk, data in location_rows.items()})
    wanted = {link["location_id"] for e in to_write for link in e["links"]} - set(locations)
    locations.update(_existing(Location, wanted))

    new_services, changed_services = [], []
    for entry in to_write:
        service = existing.get(entry["public_id"])
        if service is None:
            service = Service(public_id=entry["public_id"], created_at=now)
            new_services.append(service)
            existing[entry["public_id"]] = service
        else:
            service.version += 1
            changed_services.append(service)
        for key, value in entry["fields"].items():
            setattr(service, key, value)
        organization = organizations.get(entry["organization_id"])
        service.organization = organization
        service.updated_by = None
        service.updated_at = now
        service.source_hash = entry["hash"]
        service.source_id = entry["source_id"] or service.source_id
        service.withdrawn_at = None
        if feed is not None:
            service.feed = feed
        service.search_text = _search_text(entry, organization, terms, locations)
    Service.objects.bulk_create(new_services, batch_size=CHUNK)
    if changed_services:
        names = [*to_write[0]["fields"], "organization", "updated_by", "updated_at"]
        names += ["source_hash", "source_id", "withdrawn_at", "feed", "search_text", "version"]
        Service.objects.bulk_update(changed_services, names, batch_size=CHUNK)

    _write_children(to_write, existing, terms, locations, location_rows)

    if feed is not None and withdraw_missing:
        gone = Service.objects.filter(feed=feed, withdrawn_at__isnull=True).exclude(
            public_id__in=seen
        )
        result.withdrawn = gone.update(withdrawn_at=now, version=F("version") + 1)
    return result


def _write_children(to_write, services, terms, locations, location_rows):
    ids = _Ids()
    service_pks = [services[e["public_id"]].pk for e in to_write]
    rows = {
        Schedule: [],
        CostOption: [],
        ServiceArea: [],
        Language: [],
        Funding: [],
    }
    keys = {
        Schedule: "schedules",
        CostOption: "costs",
        ServiceArea: "service_areas",
        Language: "languages",
        Funding: "funding",
    }
    contacts, contact_phones, phones, links, categories = [], [], [], [], []
    through = Service.categories.through
    for entry in to_write:
        service = services[entry["public_id"]]
        for model, key in keys.items():
            for row in entry[key]:
                values = {k: v for k, v in row.items() if k != "public_id"}
                rows[model].append(
                    model(public_id=ids(row["public_id"], service.pk), service=service, **values)
                )
        for row in entry["contacts"]:
            values = {k: v for k, v in row.items() if k not in ("public_id", "phones")}
            contact = Contact(
                public_id=ids(row["public_id"], service.pk), service=service, **values
            )
            contacts.append(contact)
            for phone in row["phones"]:
                contact_phones.append((contact, phone))
        for phone in entry["phones"]:
            values = {k: v for k, v in phone.items() if k != "public_id"}
            phones.append(
                Phone(public_id=ids(phone["public_id"], service.pk), service=service, **values)
            )
        linked = set()
        for link in entry["links"]:
            location = locations.get(link["location_id"])
            if location is None or location.pk in linked:
                continue
            linked.add(location.pk)
            links.append(
                ServiceAtLocation(
                    public_id=ids(link["public_id"], service.pk), service=service, location=location
                )
            )
        for term_id in dict.fromkeys(entry["categories"]):
            if term_id in terms:
                categories.append(through(service_id=service.pk, taxonomyterm_id=terms[term_id].pk))

    for model, objects in rows.items():
        _replace_children(model, "service_id", service_pks, objects)
    for chunk in _chunks(service_pks):
        Phone.objects.filter(contact__service_id__in=chunk).delete()
    _replace_children(Contact, "service_id", service_pks, contacts)
    phones += [
        Phone(
            public_id=ids(phone["public_id"], contact.pk),
            contact=contact,
            **{k: v for k, v in phone.items() if k != "public_id"},
        )
        for contact, phone in contact_phones
    ]
    _replace_children(ServiceAtLocation, "service_id", service_pks, links)
    for chunk in _chunks(service_pks):
        through.objects.filter(service_id__in=chunk).delete()
    through.objects.bulk_create(categories, batch_size=CHUNK)

    location_pks = [locations[pk].pk for pk in location_rows]
    addresses, access = [], []
    for public_id, data in location_rows.items():
        location = locations[public_id]
        for row in data["addresses"]:
            values = {k: v for k, v in row.items() if k != "public_id"}
            addresses.append(
                Address(public_id=ids(row["public_id"], location.pk), location=location, **values)
            )
        for row in data["accessibility"]:
            values = {k: v for k, v in row.items() if k != "public_id"}
            access.append(
                Accessibility(
                    public_id=ids(row["public_id"], location.pk), location=location, **values
                )
            )
        for row in data["phones"]:
            values = {k: v for k, v in row.items() if k != "public_id"}
            phones.append(
                Phone(public_id=ids(row["public_id"], location.pk), location=location, **values)
            )
    _replace_children(Address, "location_id", location_pks, addresses)
    _replace_children(Accessibility, "location_id", location_pks, access)
    for chunk in _chunks(service_pks):
        Phone.objects.filter(service_id__in=chunk).delete()
    _replace_children(Phone, "location_id", location_pks, phones)


def import_files(paths_and_bytes):
    """Parse every (name, bytes) pair, then import them together; raises ImportRejected."""
    documents = [(name, load_json(raw, source=name)) for name, raw in paths_and_bytes]
    batch = parse_documents(documents)
    return import_batch(batch)
