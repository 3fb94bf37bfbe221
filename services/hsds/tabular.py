"""The catalogue as an HSDS 3.0 tabular data package: CSV files and datapackage.json.

Built from the same objects as the API (services.hsds.serializers), flattened: every nested
object becomes a row of its own table, linked by id.
"""

import csv
import hashlib
import io
import json
import logging
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.db import connections
from django.utils import translation

from associations.models import Association
from guichet import catalogue
from services.hsds import serializers
from services.models import Category, Service

logger = logging.getLogger(__name__)

# File name → columns, in the order of HSDS 3.0's tabular schema.
TABLES = {
    "organizations": [
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",
        "logo",
        "uri",
        "parent_organization_id",
    ],
    "services": [
        "id",
        "organization_id",
        "program_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "fees",
        "accreditations",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "assurer_email",
        "licenses",
        "alert",
        "last_modified",
    ],
    "locations": [
        "id",
        "location_type",
        "url",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ],
    "service_at_location": ["id", "service_id", "location_id", "description"],
    "phones": [
        "id",
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
        "number",
        "extension",
        "type",
        "description",
    ],
    "schedules": [
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "valid_from",
        "valid_to",
        "dtstart",
        "timezone",
        "until",
        "count",
        "wkst",
        "freq",
        "interval",
        "byday",
        "byweekno",
        "bymonthday",
        "byyearday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ],
    "languages": ["id", "service_id", "location_id", "phone_id", "name", "code", "note"],
    "addresses": [
        "id",
        "location_id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "required_documents": ["id", "service_id", "document", "uri"],
    "accessibility": ["id", "location_id", "description", "details", "url"],
    "taxonomies": ["id", "name", "description", "uri", "version"],
    "taxonomy_terms": [
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "language",
        "taxonomy_id",
        "term_uri",
    ],
    "attributes": ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
}
NUMBERS = {
    "latitude",
    "longitude",
    "year_incorporated",
    "minimum_age",
    "maximum_age",
    "timezone",
    "count",
    "interval",
}


def _row(table: str, data: dict, **links) -> dict:
    merged = {**data, **links}
    return {column: merged.get(column, "") for column in TABLES[table]}


def tables(language: str) -> dict[str, list[dict]]:
    """Every table's rows, in ``language``."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    seen_locations: set[str] = set()
    with translation.override(language):
        for association in Association.objects.active().order_by("slug"):
            org = serializers.organization(association, language)
            rows["organizations"].append(_row("organizations", org))
            for phone in org.get("phones", []):
                rows["phones"].append(_row("phones", phone, organization_id=org["id"]))
        services = (
            Service.objects.published()
            .select_related("association", "location__association", "location__district")
            .prefetch_related("languages", "hours", "categories")
            .order_by("slug")
        )
        for service in services:
            data = serializers.service(service, language)
            rows["services"].append(_row("services", data))
            for phone in data.get("phones", []):
                rows["phones"].append(_row("phones", phone, service_id=data["id"]))
            for table in ("schedules", "languages", "required_documents", "attributes"):
                for item in data.get(table, []):
                    rows[table].append(_row(table, item))
            for site in data.get("service_at_locations", []):
                rows["service_at_location"].append(_row("service_at_location", site))
                place = site["location"]
                if place["id"] in seen_locations:
                    continue
                seen_locations.add(place["id"])
                rows["locations"].append(_row("locations", place))
                for table in ("addresses", "accessibility"):
                    for item in place.get(table, []):
                        rows[table].append(_row(table, item))
        rows["taxonomies"].append(_row("taxonomies", serializers.taxonomy()))
        for category in Category.objects.order_by("position", "slug"):
            rows["taxonomy_terms"].append(
                _row("taxonomy_terms", serializers.taxonomy_term(category, language))
            )
    return rows


def datapackage(language: str) -> dict:
    return {
        "name": "guichet-hsds",
        "title": "Guichet catalogue (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "language": language,
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": column, "type": "number" if column in NUMBERS else "string"}
                        for column in columns
                    ],
                    "primaryKey": "id",
                },
            }
            for name, columns in TABLES.items()
        ],
    }


def _csv(name: str, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES[name], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def files(language: str) -> dict[str, str]:
    """File name → content of the whole package."""
    contents = {f"{name}.csv": _csv(name, rows) for name, rows in tables(language).items()}
    contents["datapackage.json"] = json.dumps(datapackage(language), ensure_ascii=False, indent=2)
    return contents


def write(directory: Path, language: str) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files(language).items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


# Every member of the zip carries this date, so that the same catalogue always gives the
# same bytes (and so the same ETag), whichever process or day built it.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def zipped(language: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files(language).items():
            member = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, content)
    return buffer.getvalue()


@dataclass(frozen=True)
class Package:
    """A built zip and its ETag (a digest of its bytes)."""

    content: bytes
    etag: str


class StillBuilding(Exception):
    """The package is being built and was not ready within ``WAIT_SECONDS``."""


# How long one build may take before another request may start one again (the lock's
# life), and how long a request waits for a build: well under a gunicorn worker's
# timeout (30 s), and short, since a waiting request holds its worker.
BUILD_LOCK_SECONDS = 300
WAIT_SECONDS = 10
POLL_SECONDS = 0.1


def package(language: str) -> Package:
    """Return the zipped package of the catalogue as it is now, in ``language``.

    Built once per catalogue version and language (``guichet.catalogue``: database
    triggers move the version on every change, so an entry is never stale) and kept
    in the default cache. Single flight: the first request to miss takes a lock in the
    cache (``add`` is atomic, in local memory as in Redis) and starts the build; every
    request, that one included, waits for the result rather than building the same
    package again. With the local-memory cache that is once per process; with a shared
    cache (``CACHE_URL``), once for all.

    The build runs in a thread of its own, not in the request: a large catalogue on a
    busy machine can take longer than a worker may spend on a request (gunicorn kills
    it, and the build with it, after 30 s), so a request waits at most
    ``WAIT_SECONDS`` and then raises ``StillBuilding``; the build goes on and the next
    request gets it.
    """
    key = f"guichet:hsds-tabular:{catalogue.version()}:{language}"
    found = cache.get(key)
    if found is not None:
        return found
    lock = f"{key}:building"
    if cache.add(lock, True, BUILD_LOCK_SECONDS):
        start_build(key, lock, language)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        found = cache.get(key)
        if found is not None:
            return found
        if cache.get(lock) is None and cache.add(lock, True, BUILD_LOCK_SECONDS):
            start_build(key, lock, language)  # the build failed: try once more
    raise StillBuilding


def start_build(key: str, lock: str, language: str) -> None:
    threading.Thread(
        target=_build, args=(key, lock, language), name=f"hsds-tabular-{language}", daemon=True
    ).start()


def _build(key: str, lock: str, language: str) -> None:
    try:
        content = zipped(language)
        etag = '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
        # A day at most: once the catalogue moves on, no one asks for this key again.
        cache.set(key, Package(content, etag), 24 * 60 * 60)
    except Exception:
        logger.exception("Building the HSDS tabular package (%s) failed", language)
    finally:
        cache.delete(lock)
        connections.close_all()  # this thread's own connections
