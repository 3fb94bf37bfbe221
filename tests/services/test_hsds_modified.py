"""A service's open-data record moves (last_modified, ETag, Last-Modified, modified_after)
when anything it shows changes, whatever the change: PostgreSQL keeps Service.modified_at."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils.dateparse import parse_datetime

from services.models import OpeningHours, Service


def record(client, service):
    return client.get(f"/api/hsds/services/{service.uuid}")


def rename(obj, field="name_fr"):
    setattr(obj, field, getattr(obj, field) + " (nouveau)")
    obj.save()


CHANGES = {
    "its association renamed": lambda c: rename(c["associations"]["rights"]),
    "its place's address": lambda c: rename(c["services"]["lawyer"].location, "address_fr"),
    "its district renamed": lambda c: rename(c["districts"]["medina"]),
    "its category renamed": lambda c: rename(c["categories"]["legal"]),
    "one of its languages renamed": lambda c: rename(c["languages"]["wo"], "name"),
    "a category linked": lambda c: c["services"]["lawyer"].categories.add(
        c["categories"]["health"]
    ),
    "a language unlinked": lambda c: c["services"]["lawyer"].languages.remove(c["languages"]["wo"]),
    "an opening slot added": lambda c: OpeningHours.objects.create(
        service=c["services"]["lawyer"], weekday=4, opens=time(14), closes=time(16)
    ),
    "an opening slot moved": lambda c: OpeningHours.objects.filter(
        service=c["services"]["lawyer"], weekday=0
    ).update(closes=time(12)),
    "an opening slot removed": lambda c: OpeningHours.objects.filter(
        service=c["services"]["lawyer"], weekday=2
    ).delete(),
    "a raw SQL update of its category": lambda c: connection.cursor().execute(
        "UPDATE services_category SET name_es = 'Ayuda legal' WHERE slug = 'legal-aid'"
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_the_record_moves_when_anything_it_shows_changes(client, catalogue, change):
    lawyer = catalogue["services"]["lawyer"]
    before = record(client, lawyer)
    CHANGES[change](catalogue)
    after = record(
        client,
        lawyer,
    )
    assert parse_datetime(after.json()["last_modified"]) > parse_datetime(
        before.json()["last_modified"]
    )
    assert (
        client.get(
            f"/api/hsds/services/{lawyer.uuid}", HTTP_IF_NONE_MATCH=before["ETag"]
        ).status_code
        == 200
    )


def test_modified_after_finds_a_service_whose_category_was_renamed(client, catalogue):
    lawyer = catalogue["services"]["lawyer"]
    listed = client.get("/api/hsds/services").json()["contents"]
    # modified_after is "on or after" (the specification): just after the latest.
    since = max(parse_datetime(s["last_modified"]) for s in listed) + timedelta(microseconds=1)
    rename(catalogue["categories"]["legal"])
    found = client.get("/api/hsds/services", {"modified_after": since.isoformat()}).json()[
        "contents"
    ]
    # The doctor and the shelter are in another category: untouched.
    assert [s["id"] for s in found] == [str(lawyer.uuid)]
    assert parse_datetime(found[0]["last_modified"]) > since


def test_the_list_etag_moves_when_an_association_is_renamed(client, catalogue):
    first = client.get("/api/hsds/service_at_locations")
    rename(catalogue["associations"]["care"])
    again = client.get("/api/hsds/service_at_locations", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200


def test_saving_a_category_unchanged_touches_nothing(client, catalogue):
    before = Service.objects.get(pk=catalogue["services"]["lawyer"].pk).modified_at
    catalogue["categories"]["legal"].save()
    assert Service.objects.get(pk=catalogue["services"]["lawyer"].pk).modified_at == before
