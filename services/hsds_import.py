"""Load an HSDS 3.0 document (JSON) or tabular package (CSV) into the catalogue.

Records are matched by their HSDS id (the stable UUIDs of our models), so importing
twice updates rather than duplicates. Each top-level record is written whole or not
at all; a record that cannot be read is reported and the import goes on.
"""

import csv
import json
import re
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from associations.models import Association, District, Location
from services.hsds import STATUS, WEEKDAYS
from services.models import Category, Language, OpeningHours, Service

SIX_PLACES = Decimal("0.000001")
STATUSES = {value: key for key, value in STATUS.items()} | {"defunct": "inactive"}


class ImportFailure(Exception):
    """The file as a whole cannot be read: nothing is written."""


@dataclass
class Report:
    created: dict = field(default_factory=lambda: defaultdict(int))
    updated: dict = field(default_factory=lambda: defaultdict(int))
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.updated)[kind] += 1


# --- Reading -------------------------------------------------------------------------


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


def read_json(path: Path) -> list[dict]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailure(f"{path.name} is not a JSON document: {error}") from error
    if isinstance(document, dict) and any(str(key).endswith(".csv") for key in document):
        # The tabular form written as JSON: {"services.csv": [rows], …}
        tables = {
            key[:-4]: [{k: str(v) for k, v in row.items() if v not in (None, "")} for row in rows]
            for key, rows in document.items()
            if key.endswith(".csv") and isinstance(rows, list)
        }
        return assemble(tables)
    items = document.get("contents", document) if isinstance(document, dict) else document
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ImportFailure(f"{path.name} holds no HSDS objects.")
    return items


def _rows(directory: Path, name: str) -> list[dict]:
    path = directory / f"{name}.csv"
    if not path.exists():
        return []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [
                {k: v for k, v in row.items() if k and v not in (None, "")}
                for row in csv.DictReader(handle)
            ]
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFailure(f"{path.name} cannot be read as CSV: {error}") from error


TABLE_NAMES = (
    "organizations",
    "services",
    "locations",
    "service_at_location",
    "phones",
    "schedules",
    "languages",
    "addresses",
    "required_documents",
    "accessibility",
    "taxonomy_terms",
    "attributes",
)


def read_tabular(directory: Path) -> list[dict]:
    """Rebuild nested HSDS objects from a tabular package's CSV files."""
    tables = {name: _rows(directory, name) for name in TABLE_NAMES}
    if not tables["services"] and not tables["organizations"]:
        raise ImportFailure(f"{directory} has neither services.csv nor organizations.csv.")
    return assemble(tables)


def assemble(tables: dict[str, list[dict]]) -> list[dict]:
    """Nest the rows of the tabular form's tables back into HSDS objects."""
    tables = {name: tables.get(name, []) for name in TABLE_NAMES}

    def by(table: str, key: str) -> dict:
        grouped = defaultdict(list)
        for row in tables[table]:
            if row.get(key):
                grouped[row[key]].append(row)
        return grouped

    addresses, accessibility = by("addresses", "location_id"), by("accessibility", "location_id")
    terms = {row["id"]: row for row in tables["taxonomy_terms"] if row.get("id")}
    locations = {}
    for row in tables["locations"]:
        locations[row.get("id")] = {
            **row,
            "addresses": addresses.get(row.get("id"), []),
            "accessibility": accessibility.get(row.get("id"), []),
        }
    phones = by("phones", "service_id")
    org_phones = {
        k: [p for p in v if not p.get("service_id")]
        for k, v in by("phones", "organization_id").items()
    }
    schedules, languages = by("schedules", "service_id"), by("languages", "service_id")
    documents, attributes = by("required_documents", "service_id"), by("attributes", "link_id")
    sites = by("service_at_location", "service_id")
    items = [{**row} for row in tables["taxonomy_terms"]]
    items += [
        {**row, "phones": org_phones.get(row.get("id"), [])} for row in tables["organizations"]
    ]
    for row in tables["services"]:
        service_id = row.get("id")
        items.append(
            {
                **row,
                "phones": phones.get(service_id, []),
                "schedules": schedules.get(service_id, []),
                "languages": languages.get(service_id, []),
                "required_documents": documents.get(service_id, []),
                "attributes": [
                    {**a, "taxonomy_term": terms.get(a.get("taxonomy_term_id"))}
                    for a in attributes.get(service_id, [])
                ],
                "service_at_locations": [
                    {**site, "location": locations.get(site.get("location_id"))}
                    for site in sites.get(service_id, [])
                    if site.get("location_id") in locations
                ],
            }
        )
    return items


# --- Writing -------------------------------------------------------------------------


def _uuid(value) -> UUID:
    try:
        return UUID(str(value))
    except (TypeError, ValueError, AttributeError) as error:
        raise ValidationError(f"'{value}' is not a UUID") from error


def _slug(model, text: str, own_pk=None) -> str:
    base = slugify(text)[:80] or "record"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exclude(pk=own_pk).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _phone(value: str) -> str:
    cleaned = re.sub(r"[^0-9+ ()\-.]", "", value or "").strip()
    return cleaned[:30] if len(re.sub(r"\D", "", cleaned)) >= 6 else ""


def _valid(value: str, validator) -> str:
    try:
        validator(value)
    except ValidationError:
        return ""
    return value


def _time(value: str) -> time | None:
    match = re.match(r"^(\d{1,2}):(\d{2})", value or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def _full_clean(obj, language: str) -> None:
    """Validate; a text given only in another language than the default one is accepted
    (the site falls back to it, visibly), so the default-language copy may stay empty."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    exclude = []
    if language != default:
        for name in translator.get_options_for_model(type(obj)).fields:
            if not getattr(obj, f"{name}_{default}", None):
                exclude.append(f"{name}_{default}")
    obj.full_clean(exclude=exclude)


def _set(obj, field_name: str, language: str, value) -> None:
    setattr(obj, f"{field_name}_{language}", (value or "").strip())


def upsert_category(term: dict, language: str, report: Report) -> Category:
    category = Category.objects.filter(uuid=_uuid(term["id"])).first()
    created = category is None
    category = category or Category(uuid=_uuid(term["id"]))
    if created:
        category.slug = _slug(Category, term.get("code") or term.get("name", ""))
    _set(category, "name", language, term.get("name") or term.get("code"))
    _set(category, "description", language, term.get("description"))
    _full_clean(category, language)
    category.save()
    report.count("taxonomy_term", created)
    return category


def upsert_association(org: dict, language: str, report: Report) -> Association:
    association = Association.objects.filter(uuid=_uuid(org["id"])).first()
    created = association is None
    association = association or Association(uuid=_uuid(org["id"]))
    _set(association, "name", language, org.get("name"))
    _set(association, "description", language, org.get("description"))
    if created:
        association.slug = _slug(Association, org.get("name", ""))
    association.email = _valid(org.get("email", ""), EmailValidator())
    association.website = _valid(org.get("website", ""), URLValidator())
    numbers = [_phone(p.get("number", "")) for p in org.get("phones", [])]
    association.phone = next((n for n in numbers if n), association.phone if not created else "")
    _full_clean(association, language)
    association.save()
    report.count("organization", created)
    return association


def _district(name: str, language: str) -> District | None:
    if not name:
        return None
    for code in ("ar", "fr", "es", "en"):
        found = District.objects.filter(**{f"name_{code}": name}).first()
        if found:
            return found
    district = District(slug=_slug(District, name))
    _set(district, "name", language, name)
    _full_clean(district, language)
    district.save()
    return district


def upsert_location(
    data: dict, language: str, fallback: Association | None, report: Report
) -> Location:
    owner = (
        Association.objects.filter(uuid=_uuid(data["organization_id"])).first()
        if data.get("organization_id")
        else None
    )
    existing = Location.objects.filter(uuid=_uuid(data["id"])).first()
    owner = owner or fallback or (existing.association if existing else None)
    if owner is None:
        raise ValidationError(f"location {data.get('id')}: its organization is unknown")
    location = Location.objects.filter(uuid=_uuid(data["id"])).first()
    created = location is None
    location = location or Location(uuid=_uuid(data["id"]))
    location.association = owner
    address = (data.get("addresses") or [{}])[0]
    _set(location, "name", language, data.get("name") or address.get("address_1") or "—")
    _set(
        location,
        "address",
        language,
        ", ".join(filter(None, [address.get("address_1"), address.get("address_2")])) or "—",
    )
    if address.get("city"):
        _set(location, "city", language, address["city"])
    _set(location, "transport", language, data.get("transportation"))
    location.postal_code = (address.get("postal_code") or "")[:10]
    location.district = _district(address.get("region", ""), language)
    access = (data.get("accessibility") or [{}])[0]
    _set(location, "accessibility", language, access.get("description"))
    location.wheelchair_accessible = "wheelchair" in (access.get("details") or "").lower()
    try:
        latitude, longitude = float(data["latitude"]), float(data["longitude"])
        valid = -90 <= latitude <= 90 and -180 <= longitude <= 180
    except (KeyError, TypeError, ValueError):
        latitude = longitude = None
        valid = False
    if valid:
        location.latitude = Decimal(str(latitude)).quantize(SIX_PLACES)
        location.longitude = Decimal(str(longitude)).quantize(SIX_PLACES)
    else:
        location.latitude = location.longitude = None
        if data.get("latitude") not in (None, ""):
            report.warnings.append(f"location {data['id']}: coordinates out of range, left out")
    _full_clean(location, language)
    location.save()
    report.count("location", created)
    return location


def _access(text: str) -> str:
    for value, label in Service.Access.choices:
        if text and text.strip().lower() == str(label).lower():
            return value
    return Service.Access.WALK_IN


def upsert_service(data: dict, language: str, report: Report) -> Service:
    nested_org = data.get("organization")
    if nested_org and nested_org.get("id"):
        association = upsert_association(nested_org, language, report)
    else:
        association = Association.objects.filter(uuid=_uuid(data.get("organization_id"))).first()
    if association is None:
        raise ValidationError(f"its organization {data.get('organization_id')} is unknown")
    service = Service.objects.filter(uuid=_uuid(data["id"])).first()
    created = service is None
    service = service or Service(uuid=_uuid(data["id"]))
    service.association = association
    if created:
        service.slug = _slug(Service, data.get("name", ""))
    _set(service, "name", language, data.get("name"))
    _set(service, "summary", language, (data.get("alternate_name") or "")[:300])
    _set(service, "description", language, data.get("description"))
    _set(service, "eligibility", language, data.get("eligibility_description"))
    fees = (data.get("fees_description") or "").strip()
    service.is_free = not fees or fees == _("Free of charge.")
    _set(service, "fees", language, "" if fees == _("Free of charge.") else fees)
    _set(
        service,
        "required_documents",
        language,
        "\n".join(
            d.get("document", "") for d in data.get("required_documents", []) if d.get("document")
        ),
    )
    service.status = STATUSES.get(
        (data.get("status") or "").strip().lower(), Service.Status.INACTIVE
    )
    service.access = _access(data.get("application_process", ""))
    email = _valid(data.get("email", ""), EmailValidator())
    service.email = "" if email == association.email else email
    number = next(
        (n for n in (_phone(p.get("number", "")) for p in data.get("phones", [])) if n), ""
    )
    service.phone = "" if number == association.phone else number
    assured = parse_date(data.get("assured_date") or "")
    service.last_verified_on = assured
    sites = [s for s in data.get("service_at_locations", []) if s.get("location")]
    if sites:
        service.location = upsert_location(sites[0]["location"], language, association, report)
        if sites[0].get("id"):
            service.site_uuid = _uuid(sites[0]["id"])
    _full_clean(service, language)
    service.save()
    categories = []
    for attribute in data.get("attributes", []):
        term = attribute.get("taxonomy_term")
        if term and term.get("id"):
            categories.append(upsert_category(term, language, report))
        elif attribute.get("taxonomy_term_id"):
            found = Category.objects.filter(uuid=_uuid(attribute["taxonomy_term_id"])).first()
            if found:
                categories.append(found)
    service.categories.set(categories)
    spoken = []
    for item in data.get("languages", []):
        code = (item.get("code") or "").strip().lower()
        if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", code):
            spoken.append(
                Language.objects.get_or_create(
                    code=code, defaults={"name": item.get("name") or code}
                )[0]
            )
    service.languages.set(spoken)
    service.hours.all().delete()
    slots = {}
    for schedule in data.get("schedules", []):
        opens, closes = _time(schedule.get("opens_at", "")), _time(schedule.get("closes_at", ""))
        if not opens or not closes or opens == closes:
            continue
        for day in (schedule.get("byday") or "").split(","):
            day = re.sub(r"^[+-]?\d+", "", day.strip().upper())
            if day in WEEKDAYS:
                slots[(WEEKDAYS.index(day), opens)] = (closes, schedule.get("description", ""))
    for (weekday, opens), (closes, note) in slots.items():
        slot = OpeningHours(service=service, weekday=weekday, opens=opens, closes=closes)
        _set(slot, "note", language, (note or "")[:200])
        slot.save()
    modified = parse_datetime(data.get("last_modified") or "")
    if modified:
        Service.objects.filter(pk=service.pk).update(updated_at=modified)
    report.count("service", created)
    return service


def import_items(items: list[dict], language: str) -> Report:
    """Write the objects, each top-level one whole or not at all; report what happened."""
    report = Report()
    order = {
        "taxonomy_term": 0,
        "taxonomy": 0,
        "organization": 1,
        "location": 2,
        "service": 3,
        "service_at_location": 4,
    }
    ranked = sorted(
        ((order.get(_kind(i), 9), n, i) for n, i in enumerate(items)), key=lambda t: (t[0], t[1])
    )
    touched = []
    with translation.override(language):
        for _rank, number, item in ranked:
            kind = _kind(item)
            label = f"{kind} {item.get('id', f'#{number + 1}')}"
            try:
                with transaction.atomic():
                    if kind == "taxonomy_term":
                        upsert_category(item, language, report)
                    elif kind == "organization":
                        association = upsert_association(item, language, report)
                        for place in item.get("locations", []):
                            upsert_location(place, language, association, report)
                        for nested in item.get("services", []):
                            touched.append(
                                upsert_service(
                                    {**nested, "organization_id": item["id"]}, language, report
                                ).pk
                            )
                    elif kind == "location":
                        upsert_location(item, language, None, report)
                    elif kind == "service":
                        touched.append(upsert_service(item, language, report).pk)
                    elif kind == "service_at_location" and item.get("service"):
                        nested = {**item["service"], "service_at_locations": [item]}
                        touched.append(upsert_service(nested, language, report).pk)
                    elif kind in ("about", "taxonomy"):
                        continue
                    else:
                        report.errors.append(f"{label}: not an object this catalogue can hold")
            except (
                ValidationError,
                ValueError,
                TypeError,
                KeyError,
                AttributeError,
                DatabaseError,
            ) as error:
                if hasattr(error, "message_dict"):
                    detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                else:
                    detail = "; ".join(getattr(error, "messages", None) or [str(error)])
                report.errors.append(f"{label}: {detail}")
    return report


def import_path(path: Path, language: str) -> Report:
    """Import a JSON document, a directory of CSV files, or a zip of them."""
    if not path.exists():
        raise ImportFailure(f"{path} does not exist.")
    if path.is_dir():
        return import_items(read_tabular(path), language)
    if zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory() as folder:
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member.endswith(".csv") and "/" not in member and ".." not in member:
                        archive.extract(member, folder)
            return import_items(read_tabular(Path(folder)), language)
    return import_items(read_json(path), language)
