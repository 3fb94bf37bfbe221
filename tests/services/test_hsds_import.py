"""import_hsds: the specification's examples load, records are whole or not at all, round trip."""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from associations.models import Association, District, Location
from services.models import Category, Language, Service


@pytest.fixture
def examples(hsds_dir) -> Path:
    return hsds_dir / "examples"


COUNSELLING = "ac148810-d857-441c-9679-408f346de14b"


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
    call_command("import_hsds", str(examples / name), "--lang", "en", verbosity=0)
    service = Service.objects.get(uuid=COUNSELLING)
    assert service.name_en == "Community Counselling" and service.association.name_en


@pytest.mark.parametrize(
    "name",
    [
        "organization_list.json",
        "taxonomy_term.json",
        "taxonomy_term_list.json",
        "taxonomy.json",
        "base.json",
    ],
)
def test_the_other_examples_load_what_they_hold(db, name, examples):
    call_command("import_hsds", str(examples / name), "--lang", "en", verbosity=0)


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


def test_a_bad_record_is_reported_and_the_others_load(db, tmp_path, capsys, examples):
    good = json.loads((examples / "service_full.json").read_text())
    bad = {
        **good,
        "id": "f0000000-0000-0000-0000-000000000001",
        "organization": None,
        "organization_id": "nope",
    }
    document = tmp_path / "mixed.json"
    document.write_text(json.dumps({"contents": [bad, good]}))
    call_command("import_hsds", str(document), "--lang", "en")
    assert Service.objects.filter(uuid=COUNSELLING).exists()
    assert not Service.objects.filter(uuid="f0000000-0000-0000-0000-000000000001").exists()
    assert "f0000000-0000-0000-0000-000000000001" in capsys.readouterr().err


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


def read_package(folder: Path) -> dict:
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8") as handle:
            tables[path.name] = sorted(tuple(sorted(row.items())) for row in csv.DictReader(handle))
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
    first, second = read_package(tmp_path / "first"), read_package(tmp_path / "second")
    assert {name: len(rows) for name, rows in first.items()} == {
        name: len(rows) for name, rows in second.items()
    }
    assert first == second


def test_objects_of_the_wrong_shape_are_reported_not_fatal(db, tmp_path, capsys):
    document = tmp_path / "odd.json"
    document.write_text(
        json.dumps(
            [
                {
                    "id": "f0000000-0000-0000-0000-000000000003",
                    "name": "X",
                    "status": "active",
                    "organization": {
                        "id": "f0000000-0000-0000-0000-000000000004",
                        "name": "Org",
                        "description": "d",
                        "phones": ["not an object"],
                    },
                    "schedules": "every day",
                    "languages": [None],
                },
                {
                    "id": 42,
                    "name": "Org without uuid",
                    "description": "d",
                    "email": "a@example.org",
                },
            ]
        )
    )
    call_command("import_hsds", str(document), "--lang", "en")
    assert not Service.objects.exists()
    assert "2 records could not be loaded" in capsys.readouterr().err
