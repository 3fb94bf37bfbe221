"""The HSDS tabular export: CSV files whose columns are HSDS's, and a datapackage.json."""

import csv
import io
import json
import zipfile

from django.core.management import call_command

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


def test_the_package_is_downloadable_from_the_public_site(client, catalogue):
    response = client.get("/api/hsds/tabular.zip", {"lang": "es"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert (
        response["Content-Type"] == "application/zip" and "datapackage.json" in archive.namelist()
    )
    assert "Consulta gratuita con un abogado" in archive.read("services.csv").decode()


def test_every_page_links_to_the_open_data(client, catalogue):
    assert "/api/hsds/tabular.zip?lang=ar" in client.get("/ar/").content.decode()
