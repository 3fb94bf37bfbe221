"""The HSDS tabular export: CSV files whose columns are HSDS's, and a datapackage.json."""

import csv
import io
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command

from guichet import catalogue as catalogue_version
from services.hsds import tabular
from services.hsds.tabular import TABLES

SINGULAR = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "service_at_location": "service_at_location",
    "phones": "phone",
    "schedules": "schedule",
    "languages": "language",
    "addresses": "address",
    "required_documents": "required_document",
    "accessibility": "accessibility",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "attributes": "attribute",
}


def test_every_column_is_a_field_of_the_hsds_tabular_schema(hsds_dir):
    schema = json.loads((hsds_dir / "schema" / "compiled" / "tabular.json").read_text())[
        "properties"
    ]
    for table, columns in TABLES.items():
        definition = schema[SINGULAR[table]]
        fields = set(definition.get("items", definition)["properties"])
        assert set(columns) <= fields, table


def test_export_writes_every_table_and_a_datapackage(tmp_path, catalogue):
    call_command("export_hsds", str(tmp_path), "--lang", "ar", verbosity=0)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} == {f"{t}.csv" for t in TABLES}
    with open(tmp_path / "services.csv", encoding="utf-8") as handle:
        services = list(csv.DictReader(handle))
    assert len(services) == 3 and "استشارة مجانية مع محامي" in {s["name"] for s in services}


def test_rows_link_to_each_other_by_id(tmp_path, catalogue):
    call_command("export_hsds", str(tmp_path), verbosity=0)

    def read(name):
        with open(tmp_path / f"{name}.csv", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    organizations = {row["id"] for row in read("organizations")}
    services = {row["id"] for row in read("services")}
    locations = {row["id"] for row in read("locations")}
    assert {row["organization_id"] for row in read("services")} <= organizations
    assert all(
        row["service_id"] in services and row["location_id"] in locations
        for row in read("service_at_location")
    )
    assert {row["service_id"] for row in read("schedules")} <= services


# The download is built in a thread of its own, with its own database connection: the
# tests that download it commit their catalogue (transaction=True) so that it sees it.
built_apart = pytest.mark.django_db(transaction=True)


@built_apart
def test_the_package_is_downloadable_from_the_public_site(client, catalogue):
    response = client.get("/api/hsds/tabular.zip", {"lang": "es"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert (
        response["Content-Type"] == "application/zip" and "datapackage.json" in archive.namelist()
    )
    assert "Consulta gratuita con un abogado" in archive.read("services.csv").decode()


def test_every_page_links_to_the_open_data(client, catalogue):
    assert "/api/hsds/tabular.zip?lang=ar" in client.get("/ar/").content.decode()


@built_apart
def test_the_package_is_built_once_per_catalogue_change(client, catalogue, monkeypatch):
    builds = []
    real = tabular.zipped
    monkeypatch.setattr(
        tabular, "zipped", lambda language: builds.append(language) or real(language)
    )
    first = client.get("/api/hsds/tabular.zip", {"lang": "fr"})
    again = client.get("/api/hsds/tabular.zip", {"lang": "fr"})
    assert builds == ["fr"] and first.content == again.content
    service = catalogue["services"]["lawyer"]
    service.name_fr = "Conseil d'un avocat"
    service.save()
    changed = client.get("/api/hsds/tabular.zip", {"lang": "fr"})
    assert builds == ["fr", "fr"] and changed["ETag"] != first["ETag"]
    assert (
        "Conseil d'un avocat"
        in zipfile.ZipFile(io.BytesIO(changed.content)).read("services.csv").decode()
    )


@built_apart
def test_a_client_that_has_the_package_gets_a_304(client, catalogue):
    first = client.get("/api/hsds/tabular.zip", {"lang": "ar"})
    again = client.get("/api/hsds/tabular.zip", {"lang": "ar"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert "ETag" in again["Access-Control-Expose-Headers"]


def test_the_same_catalogue_gives_the_same_bytes(catalogue):
    # A deterministic zip: each process of a deployment gives the same ETag.
    assert tabular.zipped("es") == tabular.zipped("es")


def test_concurrent_requests_build_the_package_once(monkeypatch):
    """Twenty requests for a package nobody has built yet: one build, everyone waits for it."""
    monkeypatch.setattr(catalogue_version, "version", lambda: 41)
    builds = []

    def slow_build(language: str) -> bytes:
        builds.append(language)
        time.sleep(0.5)
        return b"zip of " + language.encode()

    monkeypatch.setattr(tabular, "zipped", slow_build)
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: tabular.package("fr"), range(20)))
    assert builds == ["fr"]
    assert {r.content for r in results} == {b"zip of fr"}


def test_a_long_build_answers_503_with_retry_after_and_goes_on(client, db, monkeypatch):
    monkeypatch.setattr(tabular, "WAIT_SECONDS", 0.2)
    monkeypatch.setattr(tabular, "zipped", lambda language: time.sleep(1) or b"the zip")
    response = client.get("/api/hsds/tabular.zip")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["status"] == 503
    time.sleep(1.5)  # the build went on without the request
    assert client.get("/api/hsds/tabular.zip").content == b"the zip"
