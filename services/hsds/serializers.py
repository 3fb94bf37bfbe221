"""The catalogue as Open Referral HSDS 3.0 objects (https://docs.openreferral.org).

Identifiers are stable UUIDs stored with the records: an association, location,
service, category, and a service at its location (``Service.site_uuid``) each keeps
its own; the taxonomy's and those of nested parts (phones, schedules, addresses) are
derived from them (UUID v5), so they never change either. Texts are given in one language, chosen by the caller.
Optional fields without a value are left out rather than sent as null.
"""

import uuid
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.i18n import attribute_reader, text_in

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("6f1c6a44-2f6e-4c1b-9a8e-1d2b3c4d5e6f")
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "guichet-categories"))
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
STATUS = {"active": "active", "temporarily_closed": "temporarily closed", "inactive": "inactive"}
COUNTRY = "MA"


def _text(obj, field: str, language: str) -> str:
    """The field in ``language``, or in the first fallback language that has it."""
    return text_in(attribute_reader(obj), field, language)[1]


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _stamp(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


WHATSAPP = "WhatsApp"  # the description that marks a phone as the WhatsApp number

# The address of the site, e.g. "https://guichet.tanger.ma", when the request is known
# (set by the API views): each service then links to its public page.
SITE_ROOT: ContextVar[str] = ContextVar("SITE_ROOT", default="")


# HSDS 3.0 has no field for a service's summary (``alternate_name`` is another name for
# it); its ``description`` is "a free text description of the service". The summary is
# that description's short form: its first paragraph, the full text after it.
PARAGRAPH = "\n\n"
MAX_SUMMARY = 300  # Service.summary's length


def description(summary: str, text: str) -> str:
    """The HSDS description of a service: its summary, then its full description."""
    if not summary or text.startswith(summary):
        return text or summary
    return f"{summary}{PARAGRAPH}{text}" if text else summary


def summary_and_description(text: str) -> tuple[str, str]:
    """Split an HSDS description into a summary (a short first paragraph followed by
    more text) and the rest, the inverse of ``description``."""
    first, separator, rest = text.strip().partition(PARAGRAPH)
    if separator and rest.strip() and len(first) <= MAX_SUMMARY:
        return first.strip(), rest.strip()
    return "", text.strip()


def phone(owner_id: str, number: str, field: str) -> list[dict]:
    if not number:
        return []
    return [{"id": str(uuid.uuid5(NAMESPACE, f"{owner_id}:{field}:{number}")), "number": number}]


def whatsapp_phone(owner_id: str, number: str) -> list[dict]:
    """A WhatsApp number as an HSDS phone: a mobile ("cell") described as WhatsApp."""
    if not number:
        return []
    return [
        {
            "id": str(uuid.uuid5(NAMESPACE, f"{owner_id}:whatsapp:{number}")),
            "number": number,
            "type": "cell",
            "description": WHATSAPP,
        }
    ]


def taxonomy() -> dict:
    return {
        "id": TAXONOMY_ID,
        "name": "Guichet categories",
        "description": "Categories of help used by the Tangier single desk for migrants.",
        "version": "1",
    }


def taxonomy_term(category, language: str) -> dict:
    return _clean(
        {
            "id": str(category.uuid),
            "code": category.slug,
            "name": _text(category, "name", language),
            "description": _text(category, "description", language)
            or _text(category, "name", language),
            "taxonomy": "Guichet categories",
            "taxonomy_id": TAXONOMY_ID,
            "language": language,
        }
    )


def location(place, language: str) -> dict:
    place_id = str(place.uuid)
    return _clean(
        {
            "id": place_id,
            "location_type": "physical",
            "organization_id": str(place.association.uuid),
            "name": _text(place, "name", language),
            "transportation": _text(place, "transport", language),
            "latitude": float(place.latitude) if place.latitude is not None else None,
            "longitude": float(place.longitude) if place.longitude is not None else None,
            "addresses": [
                _clean(
                    {
                        "id": str(uuid.uuid5(NAMESPACE, f"{place_id}:address")),
                        "location_id": place_id,
                        "address_1": _text(place, "address", language),
                        "city": _text(place, "city", language) or "Tanger",
                        "region": place.district.name if place.district_id else "",
                        "state_province": "Tanger-Tétouan-Al Hoceïma",
                        "postal_code": place.postal_code or "90000",
                        "country": COUNTRY,
                        "address_type": "physical",
                    }
                )
            ],
            "accessibility": [
                _clean(
                    {
                        "id": str(uuid.uuid5(NAMESPACE, f"{place_id}:accessibility")),
                        "location_id": place_id,
                        "description": _text(place, "accessibility", language),
                        "details": "wheelchair accessible" if place.wheelchair_accessible else "",
                    }
                )
            ]
            if _text(place, "accessibility", language) or place.wheelchair_accessible
            else [],
        }
    )


def schedules(service, language: str, hours) -> list[dict]:
    service_id = str(service.uuid)
    return [
        _clean(
            {
                "id": str(
                    uuid.uuid5(NAMESPACE, f"{service_id}:schedule:{slot.weekday}:{slot.opens}")
                ),
                "service_id": service_id,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": WEEKDAYS[slot.weekday],
                "opens_at": slot.opens.strftime("%H:%M"),
                "closes_at": slot.closes.strftime("%H:%M"),
                "description": _text(slot, "note", language),
            }
        )
        for slot in hours
    ]


def organization(association, language: str, services=None) -> dict:
    data = _clean(
        {
            "id": str(association.uuid),
            "name": _text(association, "name", language),
            "description": _text(association, "description", language)
            or _text(association, "name", language),
            "email": association.email,
            "website": association.website,
            "phones": phone(str(association.uuid), association.phone, "phone"),
        }
    )
    if services is not None:
        data["services"] = services
    return data


def service(obj, language: str, *, full: bool = True) -> dict:
    """A service with its languages, schedules, documents, location and categories.

    Reads ``obj.association``, ``obj.location`` (with association and district),
    ``obj.languages``, ``obj.hours`` and ``obj.categories``: prefetch them.
    """
    service_id = str(obj.uuid)
    data = {
        "id": service_id,
        "organization_id": str(obj.association.uuid),
        "name": _text(obj, "name", language),
        "description": description(
            _text(obj, "summary", language), _text(obj, "description", language)
        ),
        "url": SITE_ROOT.get() + obj.get_absolute_url() if SITE_ROOT.get() else "",
        "email": obj.contact_email,
        "status": STATUS[obj.status],
        "application_process": obj.get_access_display(),
        "fees_description": _text(obj, "fees", language)
        or (str(_("Free of charge.")) if obj.is_free else ""),
        "eligibility_description": _text(obj, "eligibility", language),
        "last_modified": _stamp(obj.modified_at),
        "assured_date": obj.last_verified_on.isoformat() if obj.last_verified_on else None,
    }
    if not full:
        return _clean(data)
    data.update(
        {
            "phones": phone(service_id, obj.contact_phone, "phone")
            + whatsapp_phone(service_id, obj.contact_whatsapp),
            "languages": [
                {
                    "id": str(uuid.uuid5(NAMESPACE, f"{service_id}:language:{lang.code}")),
                    "service_id": service_id,
                    "name": lang.name,
                    "code": lang.code,
                }
                for lang in obj.languages.all()
            ],
            "schedules": schedules(obj, language, obj.hours.all()),
            "required_documents": [
                {
                    "id": str(uuid.uuid5(NAMESPACE, f"{service_id}:documents")),
                    "service_id": service_id,
                    "document": _text(obj, "required_documents", language),
                }
            ]
            if _text(obj, "required_documents", language)
            else [],
            "attributes": [
                {
                    "id": str(uuid.uuid5(NAMESPACE, f"{service_id}:category:{category.uuid}")),
                    "link_id": service_id,
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": str(category.uuid),
                    "taxonomy_term": taxonomy_term(category, language),
                }
                for category in obj.categories.all()
            ],
            "organization": organization(obj.association, language),
            "service_at_locations": [service_at_location(obj, language, nested=True)]
            if obj.location_id
            else [],
        }
    )
    return _clean(data)


def service_at_location(obj, language: str, *, nested: bool = False) -> dict:
    """The link of a service to its place; ``nested`` leaves the service out."""
    data = {
        "id": str(obj.site_uuid),
        "service_id": str(obj.uuid),
        "location_id": str(obj.location.uuid),
        "location": location(obj.location, language),
    }
    if not nested:
        data["service"] = service(obj, language, full=False)
    return _clean(data)
