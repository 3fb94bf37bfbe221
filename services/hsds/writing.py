"""Write HSDS records (see ``services.hsds.reading``) into the catalogue's models.

Records are matched by their HSDS id (the stable UUIDs of our models), so importing
twice updates rather than duplicates. Each top-level record is written whole or not
at all; a record that cannot be written is reported, naming its field, and the import
goes on.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from associations.models import Association, District, Location
from services.hsds.serializers import STATUS, WEEKDAYS, summary_and_description
from services.models import (
    Category,
    Language,
    OpeningHours,
    Service,
    refresh_catalogue_statistics,
)

SIX_PLACES = Decimal("0.000001")
# Records created at once from which an import refreshes the planner's statistics.
BULK = 50
STATUSES = {value: key for key, value in STATUS.items()} | {"defunct": "inactive"}
# Top-level records are written in this order, so that what a record points to exists.
ORDER = {
    "taxonomy_term": 0,
    "taxonomy": 0,
    "organization": 1,
    "location": 2,
    "service": 3,
    "service_at_location": 4,
}
# Model field (without its language suffix) → the HSDS field it is read from, to name the
# field of the file when the model refuses a value. Fields not listed keep their name.
HSDS_FIELDS = {
    "summary": "description",
    "eligibility": "eligibility_description",
    "fees": "fees_description",
    "transport": "transportation",
    "last_verified_on": "assured_date",
    "phone": "phones",
    "slug": "name",
    "uuid": "id",
    "site_uuid": "service_at_locations",
    "location": "service_at_locations",
    "address": "addresses",
    "city": "addresses",
    "postal_code": "addresses",
    "district": "addresses",
    "access": "application_process",
    "association": "organization_id",
}


class RecordError(Exception):
    """A record holds what the catalogue cannot take; the message names the field."""


class Record:
    """One HSDS object, read field by field.

    A field of the wrong shape (a list where text belongs, text where a list of objects
    belongs…) raises RecordError naming it, e.g. ``organization.phones[0]``.
    """

    def __init__(self, data: object, where: str = "") -> None:
        if not isinstance(data, dict):
            raise RecordError(f"{where or 'record'}: must be an object")
        self.data = data
        self.where = where

    def name(self, field: str) -> str:
        return f"{self.where}.{field}" if self.where else field

    def text(self, field: str) -> str:
        value = self.data.get(field)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise RecordError(f"{self.name(field)}: must be text")
        return str(value).strip()

    def uuid(self, field: str) -> UUID:
        value = self.text(field)
        if not value:
            raise RecordError(f"{self.name(field)}: is missing")
        try:
            return UUID(value)
        except ValueError:
            raise RecordError(f"{self.name(field)}: '{value}' is not a UUID") from None

    def date(self, field: str) -> date | None:
        """The date, or None when the field is empty or not a date at all."""
        value = self.text(field)
        try:
            return parse_date(value)
        except ValueError:  # well formed but impossible, e.g. 2026-02-30
            raise RecordError(f"{self.name(field)}: '{value}' is not a date") from None

    def moment(self, field: str) -> datetime | None:
        """The date-time, or None when the field is empty or not a date-time at all."""
        value = self.text(field)
        try:
            return parse_datetime(value)
        except ValueError:
            raise RecordError(f"{self.name(field)}: '{value}' is not a date-time") from None

    def record(self, field: str) -> "Record | None":
        value = self.data.get(field)
        return None if value is None else Record(value, self.name(field))

    def records(self, field: str) -> list["Record"]:
        value = self.data.get(field)
        if value is None or value == "":
            return []
        if not isinstance(value, list):
            raise RecordError(f"{self.name(field)}: must be a list of objects")
        return [Record(item, f"{self.name(field)}[{n}]") for n, item in enumerate(value)]

    def first(self, field: str) -> "Record":
        """The first object of the list ``field``, or an empty one."""
        return next(iter(self.records(field)), Record({}, f"{self.name(field)}[0]"))


@dataclass
class Report:
    created: dict = field(default_factory=lambda: defaultdict(int))
    updated: dict = field(default_factory=lambda: defaultdict(int))
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.updated)[kind] += 1

    def add(self, other: "Report") -> None:
        for kind, number in other.created.items():
            self.created[kind] += number
        for kind, number in other.updated.items():
            self.updated[kind] += number
        self.errors += other.errors
        self.warnings += other.warnings


def _kind(item: dict) -> str:
    keys = set(item)
    if "status" in keys and "name" in keys:
        return "service"
    if "location_type" in keys:
        return "location"
    if {"service_id", "location_id"} <= keys or {"service", "location"} <= keys:
        return "service_at_location"
    if keys & {"taxonomy_id", "parent_id", "term_uri"} or {"code", "taxonomy"} <= keys:
        return "taxonomy_term"
    if keys & {"version", "openapi_url"} and "name" not in keys:
        return "about"
    if keys <= {"id", "name", "description", "uri", "version"}:
        return "taxonomy"
    if "name" in keys:
        return "organization"
    return "unknown"


def _slug(model, text: str) -> str:
    """Return a slug made from ``text`` that no other row of ``model`` has (for a new row)."""
    base = slugify(text)[:80] or "record"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _phone(value: str) -> str:
    cleaned = re.sub(r"[^0-9+ ()\-.]", "", value).strip()
    return cleaned[:30] if len(re.sub(r"\D", "", cleaned)) >= 6 else ""


def _first_phone(record: Record, *, whatsapp: bool = False) -> str:
    """The first usable phone number of ``record``; with ``whatsapp``, of its WhatsApp
    numbers (described "WhatsApp", as the export writes them), else of the others."""
    numbers = (
        _phone(p.text("number"))
        for p in record.records("phones")
        if (p.text("description").strip().lower() == "whatsapp") == whatsapp
    )
    return next((n for n in numbers if n), "")


def _valid(value: str, validator) -> str:
    try:
        validator(value)
    except ValidationError:
        return ""
    return value


def _time(value: str) -> time | None:
    match = re.match(r"^(\d{1,2}):(\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def _full_clean(obj, language: str, record: Record, names: dict | None = None) -> None:
    """Validate ``obj``; a refusal becomes a RecordError naming the record's fields.

    A text given only in another language than the default one is accepted (the site
    falls back to it, visibly), so the default-language copy may stay empty.
    """
    translated = translator.get_options_for_model(type(obj)).fields
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    exclude = []
    if language != default:
        exclude = [
            f"{name}_{default}" for name in translated if not getattr(obj, f"{name}_{default}")
        ]
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        names = {**HSDS_FIELDS, **(names or {})}
        problems = []
        for model_field, messages in error.message_dict.items():
            base = re.sub(r"_(ar|fr|es|en)$", "", model_field)
            base = base if base in translated else model_field
            if model_field == NON_FIELD_ERRORS:
                where = record.where or "record"
            else:
                where = record.name(names.get(base, base))
            problems.append(f"{where}: {' '.join(messages)}")
        raise RecordError("; ".join(problems)) from error


def _set(obj, field_name: str, language: str, value: str) -> None:
    setattr(obj, f"{field_name}_{language}", value.strip())


def upsert_category(term: Record, language: str, report: Report) -> Category:
    identifier = term.uuid("id")
    category = Category.objects.filter(uuid=identifier).first()
    created = category is None
    category = category or Category(uuid=identifier)
    if created:
        category.slug = _slug(Category, term.text("code") or term.text("name"))
    _set(category, "name", language, term.text("name") or term.text("code"))
    _set(category, "description", language, term.text("description"))
    _full_clean(category, language, term, {"slug": "code"})
    category.save()
    report.count("taxonomy_term", created)
    return category


def upsert_association(org: Record, language: str, report: Report) -> Association:
    identifier = org.uuid("id")
    association = Association.objects.filter(uuid=identifier).first()
    created = association is None
    association = association or Association(uuid=identifier)
    _set(association, "name", language, org.text("name"))
    _set(association, "description", language, org.text("description"))
    if created:
        association.slug = _slug(Association, org.text("name"))
    association.email = _valid(org.text("email"), EmailValidator())
    association.website = _valid(org.text("website"), URLValidator())
    association.phone = _first_phone(org) or ("" if created else association.phone)
    _full_clean(association, language, org)
    association.save()
    report.count("organization", created)
    return association


def _district(name: str, language: str, address: Record) -> District | None:
    if not name:
        return None
    for code in ("ar", "fr", "es", "en"):
        found = District.objects.filter(**{f"name_{code}": name}).first()
        if found:
            return found
    district = District(slug=_slug(District, name))
    _set(district, "name", language, name)
    _full_clean(district, language, address, {"name": "region", "slug": "region"})
    district.save()
    return district


def _coordinate(value: object, low: int, high: int) -> Decimal | None:
    try:
        number = float(value)
    except (TypeError, ValueError):  # absent, or not a number
        return None
    return Decimal(str(number)).quantize(SIX_PLACES) if low <= number <= high else None


def upsert_location(
    data: Record, language: str, fallback: Association | None, report: Report
) -> Location:
    identifier = data.uuid("id")
    location = Location.objects.filter(uuid=identifier).first()
    owner = (
        Association.objects.filter(uuid=data.uuid("organization_id")).first()
        if data.text("organization_id")
        else None
    )
    owner = owner or fallback or (location.association if location else None)
    if owner is None:
        raise RecordError(f"{data.name('organization_id')}: no organization has this id")
    created = location is None
    location = location or Location(uuid=identifier)
    location.association = owner
    address = data.first("addresses")
    first_line = address.text("address_1")
    _set(location, "name", language, data.text("name") or first_line or "—")
    _set(
        location,
        "address",
        language,
        ", ".join(filter(None, [first_line, address.text("address_2")])) or "—",
    )
    if address.text("city"):
        _set(location, "city", language, address.text("city"))
    _set(location, "transport", language, data.text("transportation"))
    location.postal_code = address.text("postal_code")[:10]
    location.district = _district(address.text("region"), language, address)
    access = data.first("accessibility")
    _set(location, "accessibility", language, access.text("description"))
    location.wheelchair_accessible = "wheelchair" in access.text("details").lower()
    latitude = _coordinate(data.data.get("latitude"), -90, 90)
    longitude = _coordinate(data.data.get("longitude"), -180, 180)
    if latitude is not None and longitude is not None:
        location.latitude, location.longitude = latitude, longitude
    else:
        location.latitude = location.longitude = None
        if data.data.get("latitude") not in (None, ""):
            report.warnings.append(f"location {identifier}: coordinates out of range, left out")
    _full_clean(location, language, data)
    location.save()
    report.count("location", created)
    return location


def _access(text: str) -> str:
    for value, label in Service.Access.choices:
        if text and text.lower() == str(label).lower():
            return value
    return Service.Access.WALK_IN


def _languages(data: Record) -> list[Language]:
    """The languages spoken, created when new; codes that are not ISO 639 are left out."""
    spoken = []
    for item in data.records("languages"):
        code = item.text("code").lower()
        if len(code) <= 8 and re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", code):
            name = (item.text("name") or code)[:50]
            spoken.append(Language.objects.get_or_create(code=code, defaults={"name": name})[0])
    return spoken


def _hours(service: Service, data: Record, language: str) -> None:
    """Replace the opening hours by the weekly schedules of ``data``."""
    service.hours.all().delete()
    slots = {}
    for schedule in data.records("schedules"):
        opens, closes = _time(schedule.text("opens_at")), _time(schedule.text("closes_at"))
        if not opens or not closes or opens == closes:
            continue
        for day in schedule.text("byday").split(","):
            day = re.sub(r"^[+-]?\d+", "", day.strip().upper())
            if day in WEEKDAYS:
                slots[(WEEKDAYS.index(day), opens)] = (closes, schedule.text("description"))
    for (weekday, opens), (closes, note) in slots.items():
        slot = OpeningHours(service=service, weekday=weekday, opens=opens, closes=closes)
        _set(slot, "note", language, note[:200])
        slot.save()


def upsert_service(data: Record, language: str, report: Report) -> Service:
    nested_org = data.record("organization")
    if nested_org and nested_org.text("id"):
        association = upsert_association(nested_org, language, report)
    else:
        association = Association.objects.filter(uuid=data.uuid("organization_id")).first()
    if association is None:
        raise RecordError(f"{data.name('organization_id')}: no organization has this id")
    identifier = data.uuid("id")
    service = Service.objects.filter(uuid=identifier).first()
    created = service is None
    service = service or Service(uuid=identifier)
    service.association = association
    if created:
        service.slug = _slug(Service, data.text("name"))
    _set(service, "name", language, data.text("name"))
    summary, description = summary_and_description(data.text("description"))
    _set(service, "summary", language, summary)
    _set(service, "description", language, description)
    _set(service, "eligibility", language, data.text("eligibility_description"))
    fees = data.text("fees_description")
    service.is_free = not fees or fees == _("Free of charge.")
    _set(service, "fees", language, "" if fees == _("Free of charge.") else fees)
    documents = [d.text("document") for d in data.records("required_documents")]
    _set(service, "required_documents", language, "\n".join(filter(None, documents)))
    service.status = STATUSES.get(data.text("status").lower(), Service.Status.INACTIVE)
    service.access = _access(data.text("application_process"))
    email = _valid(data.text("email"), EmailValidator())
    service.email = "" if email == association.email else email
    number = _first_phone(data)
    service.phone = "" if number == association.phone else number
    whatsapp = _first_phone(data, whatsapp=True)
    service.whatsapp = "" if whatsapp == association.whatsapp else whatsapp
    service.last_verified_on = data.date("assured_date")
    sites = [site for site in data.records("service_at_locations") if site.data.get("location")]
    if sites:
        place = sites[0].record("location")
        service.location = upsert_location(place, language, association, report)
        if sites[0].text("id"):
            service.site_uuid = sites[0].uuid("id")
    modified = data.moment("last_modified")
    _full_clean(service, language, data)
    service.save()
    categories = []
    for attribute in data.records("attributes"):
        term = attribute.record("taxonomy_term")
        if term and term.text("id"):
            categories.append(upsert_category(term, language, report))
        elif attribute.text("taxonomy_term_id"):
            found = Category.objects.filter(uuid=attribute.uuid("taxonomy_term_id")).first()
            if found:
                categories.append(found)
    service.categories.set(categories)
    service.languages.set(_languages(data))
    _hours(service, data, language)
    if modified:
        Service.objects.filter(pk=service.pk).update(updated_at=modified)
    report.count("service", created)
    return service


def _write(kind: str, record: Record, language: str, report: Report) -> None:
    """Write one top-level record (PostgreSQL's triggers index the services written)."""
    if kind == "taxonomy_term":
        upsert_category(record, language, report)
    elif kind == "organization":
        association = upsert_association(record, language, report)
        for place in record.records("locations"):
            upsert_location(place, language, association, report)
        for nested in record.records("services"):
            upsert_service(
                Record({**nested.data, "organization_id": str(association.uuid)}, nested.where),
                language,
                report,
            )
    elif kind == "location":
        upsert_location(record, language, None, report)
    elif kind == "service":
        upsert_service(record, language, report)
    elif kind == "service_at_location" and record.data.get("service") is not None:
        nested = record.record("service")
        upsert_service(
            Record({**nested.data, "service_at_locations": [record.data]}, nested.where),
            language,
            report,
        )
    elif kind not in ("about", "taxonomy"):
        raise RecordError("not an object this catalogue can hold")


def write_records(records: list[dict], language: str) -> Report:
    """Write the records, each top-level one whole or not at all; report what happened.

    A record the catalogue cannot take is left out and reported with the field at fault;
    the others are written. Any other exception is a defect of this code, not of the file:
    it propagates, and nothing of the import is kept.
    """
    report = Report()
    ranked = sorted(enumerate(records), key=lambda pair: (ORDER.get(_kind(pair[1]), 9), pair[0]))
    with translation.override(language), transaction.atomic():
        for number, data in ranked:
            kind = _kind(data)
            label = f"{kind} {data.get('id', f'#{number + 1}')}"
            tally = Report()
            try:
                with transaction.atomic():
                    _write(kind, Record(data), language, tally)
            except RecordError as error:
                report.errors.append(f"{label}: {error}")
            else:
                report.add(tally)
        if sum(report.created.values()) >= BULK:
            refresh_catalogue_statistics()
    return report
