"""Read an HSDS 3.0 file into records: plain dicts shaped like the specification's objects.

A JSON document (one object, a list, a paginated envelope, or the tabular form written as
JSON), a folder of CSV files, or a zip of them. Nothing here touches the database; what the
records hold is checked when they are written (``services.hsds.writing``).
"""

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path


class ImportFailure(Exception):
    """The file as a whole cannot be read: nothing is written."""


# The tables of the tabular form that the catalogue can hold, by file name without ".csv".
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


def read_path(path: Path) -> list[dict]:
    """Return the records of a JSON document, a folder of CSV files, or a zip of them."""
    if not path.exists():
        raise ImportFailure(f"{path} does not exist.")
    if path.is_dir():
        return read_folder(path)
    if zipfile.is_zipfile(path):
        return read_zip(path)
    return read_json(path)


def read_json(path: Path) -> list[dict]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailure(f"{path.name} is not a JSON document: {error}") from error
    if isinstance(document, dict) and any(str(key).endswith(".csv") for key in document):
        # The tabular form written as JSON: {"services.csv": [rows], …}
        tables = {}
        for key, rows in document.items():
            if not key.endswith(".csv") or not isinstance(rows, list):
                continue
            if not all(isinstance(row, dict) for row in rows):
                raise ImportFailure(f"{path.name}: the rows of {key} are not all objects.")
            tables[key[:-4]] = [
                {k: str(v) for k, v in row.items() if v not in (None, "")} for row in rows
            ]
        return assemble(tables)
    items = document.get("contents", document) if isinstance(document, dict) else document
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ImportFailure(f"{path.name} holds no HSDS objects.")
    return items


def _rows(lines: Iterable[str], name: str) -> list[dict]:
    try:
        return [
            {k: v for k, v in row.items() if k and v not in (None, "")}
            for row in csv.DictReader(lines)
        ]
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFailure(f"{name} cannot be read as CSV: {error}") from error


def read_folder(directory: Path) -> list[dict]:
    """Return the records of a tabular package's CSV files in ``directory``."""
    tables = {}
    for name in TABLE_NAMES:
        path = directory / f"{name}.csv"
        if path.exists():
            with open(path, encoding="utf-8-sig", newline="") as handle:
                tables[name] = _rows(handle, path.name)
    return _tabular(tables, str(directory))


def read_zip(path: Path) -> list[dict]:
    """Return the records of a zipped tabular package (its top-level CSV files)."""
    tables = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                name = member.removesuffix(".csv")
                if name in TABLE_NAMES and member.endswith(".csv"):
                    with archive.open(member) as raw:
                        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                        tables[name] = _rows(text, member)
    except zipfile.BadZipFile as error:
        raise ImportFailure(f"{path.name} is not a readable zip file: {error}") from error
    return _tabular(tables, path.name)


def _tabular(tables: dict[str, list[dict]], where: str) -> list[dict]:
    if not tables.get("services") and not tables.get("organizations"):
        raise ImportFailure(f"{where} has neither services.csv nor organizations.csv.")
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
