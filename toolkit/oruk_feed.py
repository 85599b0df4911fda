"""Our directory as Open Referral UK (HSDS 3 UK profile) JSON documents.

Empty values are left out rather than sent as null: the ORUK schema types most
fields as plain strings or numbers.
"""

import math
import uuid

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org/"
ATTRIBUTE_NAMESPACE = uuid.UUID("b7c1c7a4-0b6e-4d3f-8a9e-5b1f2a7c9d40")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25


def _compact(data):
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _number(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def organization_document(org):
    return _compact(
        {
            "id": str(org.public_id),
            "name": org.name,
            "email": org.email,
            "website": org.website,
        }
    ) | {"description": org.description}


def taxonomy_document(taxonomy):
    return _compact(
        {
            "id": str(taxonomy.public_id),
            "name": taxonomy.name,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        }
    ) | {"description": taxonomy.description}


def term_document(term):
    data = _compact(
        {
            "id": str(term.public_id),
            "name": term.name,
            "parent_id": str(term.parent_public_id) if term.parent_public_id else None,
            "term_uri": term.term_uri,
            "term": term.code,
        }
    )
    data["description"] = term.description
    if term.taxonomy_id:
        data["taxonomy"] = term.taxonomy.name
        data["taxonomy_id"] = str(term.taxonomy.public_id)
    return data


def phone_document(phone, **links):
    return _compact(
        {
            "id": str(phone.public_id),
            **links,
            "number": phone.number,
            "extension": phone.extension,
            "type": phone.type,
            "description": phone.description,
        }
    )


ADDRESS_REQUIRED = ("address_1", "city", "state_province", "postal_code", "country")


def _address(location, public_id, values):
    """An ORUK address: the profile requires some keys even when empty."""
    data = _compact({"id": str(public_id), "location_id": str(location.public_id), **values})
    for key in ADDRESS_REQUIRED:
        data.setdefault(key, "")
    if data.get("address_type") not in ("physical", "postal", "virtual"):
        data["address_type"] = "postal" if location.location_type == "postal" else "physical"
    return data


def _address_documents(location):
    addresses = list(location.addresses.all())
    if addresses:
        return [
            _address(
                location,
                address.public_id,
                {
                    "attention": address.attention,
                    "address_1": address.address_1,
                    "address_2": address.address_2,
                    "city": address.city,
                    "region": address.region,
                    "state_province": address.state_province,
                    "postal_code": address.postal_code,
                    "country": address.country,
                    "address_type": address.address_type,
                },
            )
            for address in addresses
        ]
    if not location.address_1:
        return []
    return [
        _address(
            location,
            location.address_public_id or location.public_id,
            {
                "address_1": location.address_1,
                "city": location.city,
                "region": location.region,
                "state_province": location.state_province,
                "postal_code": location.postal_code,
                "country": location.country or "GB",
                "address_type": location.location_type,
            },
        )
    ]


def location_document(location):
    data = _compact(
        {
            "id": str(location.public_id),
            "location_type": location.location_type,
            "name": location.name,
            "description": location.description,
            "latitude": _number(location.latitude),
            "longitude": _number(location.longitude),
            "external_identifier": location.external_identifier,
            "external_identifier_type": location.external_identifier_type,
        }
    )
    addresses = _address_documents(location)
    if addresses:
        data["addresses"] = addresses
    accessibility = [
        _compact(
            {
                "id": str(entry.public_id),
                "location_id": str(location.public_id),
                "description": entry.description,
                "details": entry.details,
                "url": entry.url,
            }
        )
        for entry in location.accessibility.all()
    ]
    if accessibility:
        data["accessibility"] = accessibility
    phones = [phone_document(p, location_id=str(location.public_id)) for p in location.phones.all()]
    if phones:
        data["phones"] = phones
    return data


def _time(value):
    return value.strftime("%H:%M:%S") if value else None


def _date(value):
    return value.isoformat() if value else None


def service_document(service):
    data = _compact(
        {
            "id": str(service.public_id),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees": service.fees_description or ("Free" if service.is_free else ""),
            "accreditations": service.accreditations,
            "assurer_email": service.assurer_email,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _date(service.assured_date),
            "alert": service.alert,
            "last_modified": service.last_modified.isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"
            )
            if service.last_modified
            else None,
            "eligibility_description": service.eligibility_description,
        }
    )
    data["status"] = service.status
    if service.organization_id:
        data["organization_id"] = str(service.organization.public_id)
        data["organization"] = organization_document(service.organization)
    data["schedules"] = [
        _compact(
            {
                "id": str(s.public_id),
                "service_id": str(service.public_id),
                "valid_from": _date(s.valid_from),
                "valid_to": _date(s.valid_to),
                "dtstart": _date(s.dtstart),
                "freq": s.freq,
                "interval": s.interval,
                "byday": s.byday,
                "bymonthday": s.bymonthday,
                "description": s.description,
                "schedule_link": s.schedule_link,
                "opens_at": _time(s.opens_at),
                "closes_at": _time(s.closes_at),
                "attending_type": s.attending_type,
                "notes": s.notes,
            }
        )
        for s in service.schedules.all()
    ]
    data["service_at_locations"] = [
        {
            "id": str(link.public_id),
            "service_id": str(service.public_id),
            "location_id": str(link.location.public_id),
            "location": location_document(link.location),
        }
        for link in service.at_locations.all()
    ]
    data["cost_options"] = [
        _compact(
            {
                "id": str(c.public_id),
                "service_id": str(service.public_id),
                "valid_from": _date(c.valid_from),
                "valid_to": _date(c.valid_to),
                "option": c.option,
                "amount": _number(c.amount),
                "amount_description": c.amount_description,
            }
        )
        for c in service.cost_options.all()
    ]
    data["contacts"] = [
        _compact(
            {
                "id": str(c.public_id),
                "service_id": str(service.public_id),
                "name": c.name,
                "title": c.title,
                "department": c.department,
                "email": c.email,
                "phones": [phone_document(p, contact_id=str(c.public_id)) for p in c.phones.all()]
                or (
                    [{"id": str(c.public_id), "number": c.phone, "contact_id": str(c.public_id)}]
                    if c.phone
                    else []
                ),
            }
        )
        for c in service.contacts.all()
    ]
    service_id = str(service.public_id)
    data["phones"] = [phone_document(p, service_id=service_id) for p in service.phones.all()]
    if not data["phones"] and service.phone:
        data["phones"] = [
            {
                "id": str(uuid.uuid5(ATTRIBUTE_NAMESPACE, f"phone:{service_id}")),
                "service_id": service_id,
                "number": service.phone,
            }
        ]
    data["service_areas"] = [
        _compact(
            {
                "id": str(area.public_id),
                "service_id": service_id,
                "name": area.name,
                "service_area": area.description,
                "extent": area.extent,
                "extent_type": area.extent_type,
                "uri": area.uri,
            }
        )
        for area in service.service_areas.all()
    ]
    data["languages"] = [
        _compact(
            {
                "id": str(language.public_id),
                "service_id": service_id,
                "name": language.name,
                "code": language.code,
                "note": language.note,
            }
        )
        for language in service.languages.all()
    ]
    data["funding"] = [
        _compact({"id": str(f.public_id), "service_id": service_id, "source": f.source})
        for f in service.funding.all()
    ]
    data["attributes"] = [
        {
            "id": str(uuid.uuid5(ATTRIBUTE_NAMESPACE, f"{service.public_id}:{term.public_id}")),
            "link_id": str(service.public_id),
            "link_type": "service",
            "taxonomy_term_id": str(term.public_id),
            "taxonomy_term": term_document(term),
        }
        for term in service.categories.all()
    ]
    return data


def service_at_location_document(link):
    # The ORUK API document gives a service's schema for a service at location
    # (id, name and status required), so the service's name and status are
    # repeated at the top, beside the nested service and location.
    return {
        "id": str(link.public_id),
        "name": link.service.name,
        "status": link.service.status,
        "service_id": str(link.service.public_id),
        "location_id": str(link.location.public_id),
        "service": service_document(link.service),
        "location": location_document(link.location),
    }


class BadParameter(ValueError):
    """A query parameter the API cannot read; answered with 400 naming it."""

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def whole_number(params, name, default, *, minimum=1):
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    raw = raw.strip()
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 12 or int(raw) < minimum:
        raise BadParameter(name, f"{name} must be a whole number of {minimum} or more.")
    return int(raw)


def page_numbers(params):
    """(page, per_page) from query parameters; a malformed value is a BadParameter.
    per_page above the maximum is capped rather than refused."""
    page = whole_number(params, "page", 1)
    per_page = whole_number(params, "per_page", DEFAULT_PER_PAGE)
    return page, min(per_page, MAX_PER_PAGE)


def paginated(queryset, params, render):
    page, per_page = page_numbers(params)
    total = queryset.count()
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page]) if start < total else []
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": per_page,
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not rows,
        "contents": [render(row) for row in rows],
    }
