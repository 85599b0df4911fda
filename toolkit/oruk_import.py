"""Import Open Referral UK / HSDS 3 JSON into the directory, idempotently by feed ids.

Accepted documents: a single service; a paginated list (``contents``) of
services, organisations, services at locations, taxonomies or taxonomy terms; an
organisation with its ``services``; a service at location; or a bare JSON list.

Everything is read and checked first (``parse_documents``), then written in one
transaction (``import_batch``): a file that is rejected writes nothing. Services
are matched on their feed id (``Service.public_id``), so importing the same feed
again updates what is there and never duplicates it.
"""

import datetime
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.dateparse import parse_datetime

from .models import (
    Accessibility,
    Contact,
    CostOption,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .services import service_refresh_search_text

ID_NAMESPACE = uuid.UUID("6f1f7a52-5b1a-4c0e-9f57-2a3c1e0d7b11")
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
    skipped: int = 0
    organizations: int = 0
    taxonomy_terms: int = 0
    notes: list = field(default_factory=list)

    @property
    def summary(self):
        return f"created {self.created}, updated {self.updated}, skipped {self.skipped}"


@dataclass
class Batch:
    services: list = field(default_factory=list)
    organizations: dict = field(default_factory=dict)
    taxonomies: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)


# Value helpers --------------------------------------------------------------


def feed_uuid(value, *, kind, fallback=None):
    """The feed's id as a UUID; a non-UUID id maps to a stable UUID derived from it."""
    if value is None or value == "":
        if fallback is None:
            return None
        value = fallback
    if isinstance(value, uuid.UUID):
        return value
    text = str(value).strip()
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.uuid5(ID_NAMESPACE, f"{kind}:{text}")


def text(value, limit=None):
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return ""
    value = str(value).strip()
    return value[:limit] if limit else value


def web_address(value, limit=500):
    """An http(s) address or "": anything else (javascript:, data: …) is dropped."""
    value = text(value, limit)
    return value if value.lower().startswith(("http://", "https://")) else ""


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
    except (TypeError, ValueError):
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


def parse_documents(documents):
    """Check every (source, parsed JSON) pair and gather them into one Batch."""
    batch = Batch()
    for source, document in documents:
        _collect(batch, document, source)
    return batch


def _collect(batch, document, source):
    if isinstance(document, list):
        items = document
    elif isinstance(document, dict) and "contents" in document:
        items = document["contents"]
        if not isinstance(items, list):
            raise ImportRejected(f"{source}: 'contents' should be a list.")
    elif isinstance(document, dict):
        items = [document]
    else:
        raise ImportRejected(
            f"{source} is JSON but not an Open Referral UK document: expected an object "
            "(a service, organisation or list with 'contents'), not "
            f"{type(document).__name__}."
        )
    for index, item in enumerate(items, start=1):
        where = f"{source}, item {index}" if len(items) > 1 or "contents" in document else source
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
    public_id = feed_uuid(item.get("id"), kind="organization")
    batch.organizations[public_id] = {
        "name": name,
        "description": text(item.get("description")),
        "email": text(item.get("email"), 254),
        "website": web_address(item.get("website") or item.get("url") or item.get("uri")),
    }
    return public_id


def _parse_taxonomy(batch, item, where):
    name = text(item.get("name"), 255)
    if not name:
        raise ImportRejected(f"{where}: a taxonomy has no name.")
    public_id = feed_uuid(item.get("id"), kind="taxonomy", fallback=name)
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
    public_id = feed_uuid(item.get("id"), kind="taxonomy_term", fallback=name)
    taxonomy_id = None
    detail = item.get("taxonomy_detail")
    if isinstance(detail, dict) and detail.get("name"):
        taxonomy_id = _parse_taxonomy(batch, detail, where)
    elif item.get("taxonomy_id"):
        taxonomy_id = feed_uuid(item["taxonomy_id"], kind="taxonomy")
        if taxonomy_id not in batch.taxonomies and isinstance(item.get("taxonomy"), str):
            batch.taxonomies[taxonomy_id] = {"name": text(item["taxonomy"], 255)}
    elif isinstance(item.get("taxonomy"), str) and item["taxonomy"].strip():
        taxonomy_id = _parse_taxonomy(batch, {"name": item["taxonomy"]}, where)
    batch.terms[public_id] = {
        "name": name,
        "description": text(item.get("description")),
        "code": text(item.get("code") or item.get("term"), 255),
        "term_uri": web_address(item.get("term_uri")),
        "parent_public_id": feed_uuid(item.get("parent_id"), kind="taxonomy_term"),
        "taxonomy_id": taxonomy_id,
    }
    return public_id


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
    if raw_id in (None, ""):
        raise ImportRejected(f"{where}: service '{name}' has no id, so it cannot be matched later.")
    context = f"{where} (service '{name}')"
    public_id = feed_uuid(raw_id, kind="service")
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
        org_id = feed_uuid(item["organization_id"], kind="organization")

    minimum_age = as_int(item.get("minimum_age"), context, "minimum_age", maximum=200)
    maximum_age = as_int(item.get("maximum_age"), context, "maximum_age", maximum=200)
    fees = text(item.get("fees_description") or item.get("fees"))

    schedules = []
    for n, entry in enumerate(as_list(item, "schedules", context), start=1):
        schedules.append(
            {
                "public_id": feed_uuid(entry.get("id"), kind="schedule", fallback=f"{raw_id}:{n}"),
                "freq": text(entry.get("freq")).upper()
                if text(entry.get("freq")).upper() in {"WEEKLY", "MONTHLY"}
                else "",
                "interval": as_int(entry.get("interval"), context, "schedules.interval"),
                "byday": text(entry.get("byday"), 60).upper(),
                "bymonthday": text(entry.get("bymonthday"), 60),
                "opens_at": as_time(entry.get("opens_at"), context, "schedules.opens_at"),
                "closes_at": as_time(entry.get("closes_at"), context, "schedules.closes_at"),
                "valid_from": as_date(entry.get("valid_from"), context, "schedules.valid_from"),
                "valid_to": as_date(entry.get("valid_to"), context, "schedules.valid_to"),
                "dtstart": as_date(entry.get("dtstart"), context, "schedules.dtstart"),
                "description": text(entry.get("description")),
                "attending_type": text(entry.get("attending_type"), 255),
                "notes": text(entry.get("notes")),
            }
        )
    contacts = []
    for n, entry in enumerate(as_list(item, "contacts", context), start=1):
        phones = entry.get("phones") if isinstance(entry.get("phones"), list) else []
        phone = next((text(p.get("number"), 40) for p in phones if isinstance(p, dict)), "")
        contacts.append(
            {
                "public_id": feed_uuid(entry.get("id"), kind="contact", fallback=f"{raw_id}:{n}"),
                "name": text(entry.get("name"), 255),
                "title": text(entry.get("title"), 255),
                "email": text(entry.get("email"), 254),
                "phone": phone,
            }
        )
    costs = []
    for n, entry in enumerate(as_list(item, "cost_options", context), start=1):
        costs.append(
            {
                "public_id": feed_uuid(entry.get("id"), kind="cost", fallback=f"{raw_id}:{n}"),
                "option": text(entry.get("option"), 255),
                "amount": as_decimal(entry.get("amount"), context, "cost_options.amount"),
                "amount_description": text(entry.get("amount_description"), 255),
                "valid_from": as_date(entry.get("valid_from"), context, "cost_options.valid_from"),
                "valid_to": as_date(entry.get("valid_to"), context, "cost_options.valid_to"),
            }
        )
    links = []
    for n, entry in enumerate(as_list(item, "service_at_locations", context), start=1):
        location = as_object(entry, "location", context)
        location_id = (location or {}).get("id") or entry.get("location_id")
        if not location_id:
            continue
        links.append(
            {
                "public_id": feed_uuid(entry.get("id"), kind="sal", fallback=f"{raw_id}:{n}"),
                "location_id": feed_uuid(location_id, kind="location"),
                "location": _parse_location(location, context) if location else None,
            }
        )
    categories = []
    for entry in as_list(item, "attributes", context):
        term = as_object(entry, "taxonomy_term", context)
        if term:
            categories.append(_parse_term(batch, term, context))
        elif entry.get("taxonomy_term_id"):
            categories.append(feed_uuid(entry["taxonomy_term_id"], kind="taxonomy_term"))
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
            "organization_id": org_id,
            "fields": {
                "name": name,
                "description": text(item.get("description")),
                "status": status,
                "url": web_address(item.get("url")),
                "email": text(item.get("email"), 254),
                "fees_description": fees,
                "is_free": is_free,
                "eligibility_description": text(item.get("eligibility_description")),
                "minimum_age": minimum_age,
                "maximum_age": maximum_age,
                "accreditations": text(item.get("accreditations")),
                "alert": text(item.get("alert")),
                "assured_date": as_date(item.get("assured_date"), context, "assured_date"),
                "last_modified": as_datetime(item.get("last_modified"), context, "last_modified"),
            },
            "schedules": schedules,
            "contacts": contacts,
            "costs": costs,
            "links": links,
            "categories": categories,
        }
    )


def _parse_location(item, context):
    location_type = text(item.get("location_type") or "physical").lower()
    if location_type not in {choice.value for choice in Location.LocationType}:
        location_type = Location.LocationType.PHYSICAL
    addresses = as_list(item, "addresses", context)
    address = addresses[0] if addresses else {}
    accessibility = []
    for n, entry in enumerate(as_list(item, "accessibility", context), start=1):
        accessibility.append(
            {
                "public_id": feed_uuid(
                    entry.get("id"), kind="accessibility", fallback=f"{item.get('id')}:{n}"
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
            "address_public_id": feed_uuid(address.get("id"), kind="address"),
            "address_1": text(address.get("address_1"), 255),
            "city": text(address.get("city"), 120),
            "region": text(address.get("region"), 120),
            "state_province": text(address.get("state_province"), 120),
            "postal_code": text(address.get("postal_code"), 20),
            "country": text(address.get("country"), 2).upper(),
        },
        "accessibility": accessibility,
    }


# Writing --------------------------------------------------------------------


def _sync_children(model, service, rows):
    keep = [row["public_id"] for row in rows]
    model.objects.filter(service=service).exclude(public_id__in=keep).delete()
    for row in rows:
        values = {key: value for key, value in row.items() if key != "public_id"}
        model.objects.update_or_create(
            public_id=row["public_id"], defaults={"service": service, **values}
        )


@transaction.atomic
def import_batch(batch):
    """Write a checked Batch; returns counts. All or nothing."""
    result = ImportResult()
    taxonomies = {}
    for public_id, values in batch.taxonomies.items():
        taxonomies[public_id], _ = Taxonomy.objects.update_or_create(
            public_id=public_id, defaults=values
        )
    terms = {}
    for public_id, values in batch.terms.items():
        values = dict(values)
        taxonomy_id = values.pop("taxonomy_id")
        values["taxonomy"] = taxonomies.get(taxonomy_id)
        terms[public_id], _ = TaxonomyTerm.objects.update_or_create(
            public_id=public_id, defaults=values
        )
        result.taxonomy_terms += 1
    organizations = {}
    for public_id, values in batch.organizations.items():
        organizations[public_id], _ = Organization.objects.update_or_create(
            public_id=public_id, defaults=values
        )
        result.organizations += 1

    locations = {}
    seen = set()
    for entry in batch.services:
        public_id = entry["public_id"]
        if public_id in seen:
            result.skipped += 1
            continue
        seen.add(public_id)
        org_id = entry["organization_id"]
        organization = organizations.get(org_id)
        if organization is None and org_id is not None:
            organization = Organization.objects.filter(public_id=org_id).first()
        service = Service.objects.filter(public_id=public_id).first()
        if service is None:
            service = Service(public_id=public_id)
            result.created += 1
        else:
            service.version += 1
            result.updated += 1
        for key, value in entry["fields"].items():
            setattr(service, key, value)
        service.organization = organization
        service.updated_by = None
        service.save()
        _sync_children(Schedule, service, entry["schedules"])
        _sync_children(Contact, service, entry["contacts"])
        _sync_children(CostOption, service, entry["costs"])
        _sync_locations(service, entry["links"], locations)
        known_terms = [terms[t] for t in entry["categories"] if t in terms]
        missing = [t for t in entry["categories"] if t not in terms]
        if missing:
            known_terms += list(TaxonomyTerm.objects.filter(public_id__in=missing))
        service.categories.set(known_terms)
        service_refresh_search_text(service)
    return result


def _sync_locations(service, links, cache):
    keep = [link["public_id"] for link in links]
    ServiceAtLocation.objects.filter(service=service).exclude(public_id__in=keep).delete()
    for link in links:
        location = cache.get(link["location_id"])
        if location is None:
            data = link["location"]
            if data is None:
                location = Location.objects.filter(public_id=link["location_id"]).first()
                if location is None:
                    continue
            else:
                location, _ = Location.objects.update_or_create(
                    public_id=link["location_id"], defaults=data["fields"]
                )
                ids = [row["public_id"] for row in data["accessibility"]]
                location.accessibility.exclude(public_id__in=ids).delete()
                for row in data["accessibility"]:
                    values = {k: v for k, v in row.items() if k != "public_id"}
                    Accessibility.objects.update_or_create(
                        public_id=row["public_id"], defaults={"location": location, **values}
                    )
            cache[link["location_id"]] = location
        existing = ServiceAtLocation.objects.filter(public_id=link["public_id"]).first()
        if existing is None:
            existing = ServiceAtLocation.objects.filter(service=service, location=location).first()
        if existing is None:
            ServiceAtLocation.objects.create(
                public_id=link["public_id"], service=service, location=location
            )
        else:
            existing.public_id = link["public_id"]
            existing.service = service
            existing.location = location
            existing.save()


def import_files(paths_and_bytes):
    """Parse every (name, bytes) pair, then import them together; raises ImportRejected."""
    documents = [(name, load_json(raw, source=name)) for name, raw in paths_and_bytes]
    batch = parse_documents(documents)
    return import_batch(batch)
