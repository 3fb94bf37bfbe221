"""import_hsds: the specification's examples load, records are whole or not at all, round trip."""

import csv
import io
import json
import zipfile
from pathlib import Path
from uuid import UUID

import pytest
from django.core.management import CommandError, call_command

from associations.models import Association, District, Location
from services.hsds import writing
from services.hsds.reading import ImportFailure, read_path
from services.hsds.writing import write_records
from services.models import Category, Language, Service


@pytest.fixture
def examples(hsds_dir) -> Path:
    return hsds_dir / "examples"


COUNSELLING = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION = "f0000000-0000-0000-0000-000000000004"
BAD = "f0000000-0000-0000-0000-000000000001"


def run(path: Path, language: str = "en") -> tuple[str, str]:
    """Run import_hsds; return what it printed and what it reported as errors."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hsds", str(path), "--lang", language, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "name",
    [
        "service_full.json",
        "service_list.json",
        "organization_full.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
        "tabular.json",
        "csv",
    ],
)
def test_the_specifications_examples_load(db, name, examples):
    _out, err = run(examples / name)
    assert err == ""
    service = Service.objects.get(uuid=COUNSELLING)
    assert service.name_en == "Community Counselling" and service.association.name_en


def test_the_example_service_is_written_without_an_error(db, examples):
    out, err = run(examples / "service_full.json")
    assert err == ""
    assert "organization: 1 created, 0 updated" in out and "service: 1 created, 0 updated" in out


@pytest.mark.parametrize(
    ("name", "model", "count"),
    [
        ("organization_list.json", Association, 1),
        ("taxonomy_term.json", Category, 1),
        ("taxonomy_term_list.json", Category, 1),
    ],
)
def test_the_other_examples_load_what_they_hold(db, examples, name, model, count):
    _out, err = run(examples / name)
    assert err == "" and model.objects.count() == count


@pytest.mark.parametrize("name", ["taxonomy.json", "taxonomy_list.json", "base.json"])
def test_examples_the_catalogue_has_no_place_for_are_passed_over_quietly(db, examples, name):
    out, err = run(examples / name)
    assert (out, err) == ("", "")
    assert not Association.objects.exists() and not Category.objects.exists()


def test_a_location_of_no_known_organization_is_reported_naming_the_field(db, examples):
    _out, err = run(examples / "location.json")
    assert "location 3a19ff88-4620-4d17-9830-ac1d859eb5d5: organization_id: " in err
    assert not Location.objects.exists()


def test_the_example_service_comes_with_its_hours_languages_and_place(db, examples):
    call_command("import_hsds", str(examples / "service_full.json"), "--lang", "en", verbosity=0)
    service = Service.objects.get(uuid=COUNSELLING)
    assert service.hours.count() >= 2 and {lang.code for lang in service.languages.all()} >= {"ur"}
    assert service.location is not None and service.categories.exists()


def test_importing_twice_updates_instead_of_duplicating(db, examples):
    for _ in range(2):
        call_command("import_hsds", str(examples / "csv"), "--lang", "en", verbosity=0)
    assert (Service.objects.count(), Association.objects.count(), Location.objects.count()) == (
        1,
        1,
        1,
    )


def test_a_bad_record_is_reported_and_the_others_load(db, tmp_path, examples):
    good = json.loads((examples / "service_full.json").read_text())
    bad = {**good, "id": BAD, "organization": None, "organization_id": "nope"}
    document = tmp_path / "mixed.json"
    document.write_text(json.dumps({"contents": [bad, good]}))
    out, err = run(document)
    assert f"error: service {BAD}: organization_id: 'nope' is not a UUID" in err
    assert "service: 1 created, 0 updated" in out and "1 record could not be loaded" in err
    assert list(Service.objects.values_list("uuid", flat=True)) == [UUID(COUNSELLING)]


def test_a_record_is_written_whole_or_not_at_all(db, tmp_path, examples):
    good = json.loads((examples / "service_full.json").read_text())
    broken = {**good, "id": "f0000000-0000-0000-0000-000000000002", "name": ""}
    document = tmp_path / "broken.json"
    document.write_text(json.dumps(broken))
    call_command("import_hsds", str(document), "--lang", "en", verbosity=0)
    # Its organization came inside the failed record: it was rolled back with it.
    assert not Service.objects.exists() and not Association.objects.exists()


@pytest.mark.parametrize("content", ["{not json", "[1, 2, 3]", '"just a string"'])
def test_a_malformed_file_is_refused_with_nothing_written(db, tmp_path, content):
    document = tmp_path / "bad.json"
    document.write_text(content)
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_hsds", str(document), verbosity=0)
    assert not Service.objects.exists()


def test_a_folder_without_tables_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_hsds", str(tmp_path), verbosity=0)


def read_package(folder: Path, *, leaving_out: tuple[str, ...] = ()) -> dict:
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8") as handle:
            tables[path.name] = sorted(
                tuple(sorted((k, v) for k, v in row.items() if k not in leaving_out))
                for row in csv.DictReader(handle)
            )
    return tables


def test_round_trip_export_import_export_gives_the_same_data(db, tmp_path):
    call_command("load_demo", verbosity=0)
    call_command("export_hsds", str(tmp_path / "first"), verbosity=0)
    Service.objects.all().delete()
    Location.objects.all().delete()
    Association.objects.all().delete()
    for model in (Category, District, Language):
        model.objects.all().delete()
    call_command("import_hsds", str(tmp_path / "first"), verbosity=0)
    call_command("export_hsds", str(tmp_path / "second"), verbosity=0)
    # last_modified is when this catalogue's record last changed: the import, by design
    # (services/modified.py), so that a client asking modified_after sees it.
    first, second = (
        read_package(tmp_path / name, leaving_out=("last_modified",))
        for name in ("first", "second")
    )
    assert {name: len(rows) for name, rows in first.items()} == {
        name: len(rows) for name, rows in second.items()
    }
    assert first == second


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schedules": "every day"}, "schedules: must be a list of objects"),
        ({"languages": [None]}, "languages[0]: must be an object"),
        ({"name": ["Counselling"]}, "name: must be text"),
        ({"name": ""}, "name: This field cannot be blank."),
        ({"assured_date": "2026-02-30"}, "assured_date: '2026-02-30' is not a date"),
        ({"organization": "Example Org"}, "organization: must be an object"),
        (
            {"organization": {"id": ORGANIZATION, "name": "Org", "phones": ["555 0100"]}},
            "organization.phones[0]: must be an object",
        ),
        (
            {"service_at_locations": [{"location": {"id": "here", "name": "Hall"}}]},
            "service_at_locations[0].location.id: 'here' is not a UUID",
        ),
    ],
)
def test_a_field_of_the_wrong_shape_is_reported_by_name(db, examples, change, message):
    good = json.loads((examples / "service_full.json").read_text())
    report = write_records([{**good, **change}], "en")
    assert report.errors == [f"service {COUNSELLING}: {message}"]
    assert not Service.objects.exists() and not Association.objects.exists()


def test_an_object_without_a_uuid_is_reported_by_its_id(db):
    report = write_records([{"id": 42, "name": "Org", "email": "org@example.org"}], "en")
    assert report.errors == ["organization 42: id: '42' is not a UUID"]


def test_a_failed_record_counts_nothing_of_what_it_held(db, examples):
    good = json.loads((examples / "service_full.json").read_text())
    report = write_records([{**good, "schedules": "every day"}], "en")
    assert dict(report.created) == {} and dict(report.updated) == {}


def test_the_report_counts_what_was_written(db, examples):
    good = json.loads((examples / "service_full.json").read_text())
    first, again = write_records([good], "en"), write_records([good], "en")
    assert first.created["service"] == 1 and first.created["organization"] == 1
    assert again.updated["service"] == 1 and dict(again.created) == {}


def test_a_defect_of_the_importer_is_not_taken_for_a_bad_record(db, examples, monkeypatch):
    """A TypeError from our own code propagates, and nothing of the import is kept."""
    records = read_path(examples / "csv")

    def broken(*args, **kwargs):
        raise TypeError("a defect of the importer")

    monkeypatch.setattr(writing, "_hours", broken)
    with pytest.raises(TypeError, match="a defect of the importer"):
        write_records(records, "en")
    assert not Association.objects.exists() and not Category.objects.exists()


def test_a_zipped_package_loads_like_its_folder(db, tmp_path, examples):
    package = tmp_path / "package.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for path in (examples / "csv").glob("*.csv"):
            archive.write(path, path.name)
        archive.writestr("../services.csv", "id,name,status\nnot read,outside,active\n")
    _out, err = run(package)
    assert err == "" and Service.objects.get().uuid == UUID(COUNSELLING)


def test_a_tabular_document_with_rows_that_are_not_objects_is_refused(tmp_path):
    document = tmp_path / "tabular.json"
    document.write_text(json.dumps({"services.csv": ["not a row"]}))
    with pytest.raises(ImportFailure, match="not all objects"):
        read_path(document)
