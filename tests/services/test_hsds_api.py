"""The Open Referral HSDS 3.0 API: valid objects, envelope, filters, caching, bad input."""

import json

import jsonschema
import pytest
from django.core.management import call_command

from services.hsds import serializers
from services.models import Service

ENVELOPE = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture(scope="session")
def validator(hsds_dir):
    """Return a loader of the compiled HSDS schema validators (read once each)."""
    cache = {}

    def load(name):
        if name not in cache:
            schema = json.loads((hsds_dir / "schema" / "compiled" / f"{name}.json").read_text())
            cache[name] = jsonschema.Draft202012Validator(
                schema, format_checker=jsonschema.FormatChecker()
            )
        return cache[name]

    return load


def every(client, path):
    page, items = 1, []
    while True:
        data = client.get(path, {"page": page, "per_page": 100}).json()
        items += data["contents"]
        if data["last_page"]:
            return items
        page += 1


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/api/hsds/services", "service"),
        ("/api/hsds/organizations", "organization"),
        ("/api/hsds/service_at_locations", "service_at_location"),
    ],
)
@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_all_demo_data_validates_against_the_hsds_schemas(
    client, demo, validator, path, schema, language
):
    check = validator(schema)
    items = every(client, f"{path}?lang={language}")
    assert items
    errors = [
        f"{item['id']}: {error.message}" for item in items for error in check.iter_errors(item)
    ]
    assert errors == []


def test_single_objects_validate_too(client, demo, validator):
    service = Service.objects.active().exclude(location=None).first()
    assert not list(
        validator("service").iter_errors(client.get(f"/api/hsds/services/{service.uuid}").json())
    )
    org = client.get(f"/api/hsds/organizations/{service.association.uuid}").json()
    assert not list(validator("organization").iter_errors(org))
    site = client.get(f"/api/hsds/service_at_locations/{service.site_uuid}").json()
    assert not list(validator("service_at_location").iter_errors(site))


@pytest.mark.parametrize(
    "path", ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]
)
def test_lists_use_the_paginated_envelope(client, demo, path):
    data = client.get(f"/api/hsds/{path}").json()
    assert set(data) == ENVELOPE and data["page_number"] == 1


def test_about(client, db):
    assert client.get("/api/hsds/").json()["version"] == "3.0"


def test_ids_are_the_records_stable_uuids(client, catalogue):
    lawyer = catalogue["services"]["lawyer"]
    data = client.get(f"/api/hsds/services/{lawyer.uuid}").json()
    assert data["id"] == str(lawyer.uuid) and data["organization_id"] == str(
        lawyer.association.uuid
    )
    assert data["attributes"][0]["taxonomy_term_id"] == str(catalogue["categories"]["legal"].uuid)
    assert data["service_at_locations"][0]["location"]["id"] == str(lawyer.location.uuid)


def test_language_from_lang_parameter(client, catalogue):
    lawyer = catalogue["services"]["lawyer"]
    assert (
        client.get(f"/api/hsds/services/{lawyer.uuid}?lang=ar").json()["name"]
        == "استشارة مجانية مع محامي"
    )


def test_language_from_accept_language(client, catalogue):
    lawyer = catalogue["services"]["lawyer"]
    data = client.get(
        f"/api/hsds/services/{lawyer.uuid}", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9"
    ).json()
    assert data["name"] == "Consulta gratuita con un abogado"


def test_french_by_default(client, catalogue):
    lawyer = catalogue["services"]["lawyer"]
    response = client.get(f"/api/hsds/services/{lawyer.uuid}", HTTP_ACCEPT_LANGUAGE="de")
    assert response.json()["name"] == "Consultation gratuite avec un avocat"
    assert response["Content-Language"] == "fr"


def test_filter_by_organization(client, catalogue):
    care = catalogue["associations"]["care"]
    data = client.get("/api/hsds/services", {"organization_id": str(care.uuid)}).json()
    assert data["total_items"] == 2


def test_filter_by_taxonomy_term(client, catalogue):
    legal = catalogue["categories"]["legal"]
    data = client.get("/api/hsds/services", {"taxonomy_term_id": str(legal.uuid)}).json()
    assert [s["id"] for s in data["contents"]] == [str(catalogue["services"]["lawyer"].uuid)]


def test_search(client, catalogue):
    data = client.get("/api/hsds/services", {"search": "avocat"}).json()
    assert [s["id"] for s in data["contents"]] == [str(catalogue["services"]["lawyer"].uuid)]


def test_modified_after(client, catalogue):
    assert (
        client.get("/api/hsds/services", {"modified_after": "2000-01-01"}).json()["total_items"]
        == 3
    )
    assert (
        client.get("/api/hsds/services", {"modified_after": "2999-01-01T00:00:00Z"}).json()[
            "total_items"
        ]
        == 0
    )


def test_inactive_services_are_not_published(client, catalogue):
    lawyer = catalogue["services"]["lawyer"]
    Service.objects.filter(pk=lawyer.pk).update(status="inactive")
    assert client.get(f"/api/hsds/services/{lawyer.uuid}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/hsds/services/00000000-0000-0000-0000-000000000000",
        "/api/hsds/services/not-a-uuid",
        "/api/hsds/organizations/123",
        "/api/hsds/service_at_locations/00000000-0000-0000-0000-000000000000",
        "/api/hsds/taxonomies/nope",
        "/api/hsds/taxonomy_terms/%00",
    ],
)
def test_unknown_ids_answer_404_in_json(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["status"] == 404


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"per_page": "1000"},
        {"per_page": "-1"},
        {"per_page": "x"},
        {"modified_after": "yesterday"},
        {"modified_after": "2026-13-45"},
        {"modified_after": "2026-02-30T10:00:00"},
        {"organization_id": "nope"},
        {"search": "x" * 300},
    ],
)
def test_bad_parameters_answer_400_in_json(client, catalogue, params):
    response = client.get("/api/hsds/services", params)
    assert response.status_code == 400 and "error" in response.json()


def test_etag_gives_304_until_the_data_changes(client, catalogue):
    first = client.get("/api/hsds/services")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    lawyer = catalogue["services"]["lawyer"]
    lawyer.name_fr = "Nouveau nom"
    lawyer.save()
    assert client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_cors_is_open_for_get(client, catalogue):
    response = client.get("/api/hsds/services")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.options("/api/hsds/services").status_code == 204


def test_the_api_is_read_only(client, catalogue):
    assert client.post("/api/hsds/services", {}).status_code == 405
    assert (
        client.delete(f"/api/hsds/services/{catalogue['services']['lawyer'].uuid}").status_code
        == 405
    )


def test_a_page_takes_a_constant_number_of_queries(
    client, catalogue, django_assert_num_queries, settings
):
    # catalogue version (page cache), version (max + count), the page's keys, the
    # services not remembered with association, location and district, then their
    # languages, hours and categories
    with django_assert_num_queries(7):
        client.get("/api/hsds/services")
    # The same page again, the page cache aside: every service is remembered.
    settings.PAGE_CACHE_ENABLED = False
    with django_assert_num_queries(2):  # catalogue version, the page's keys
        client.get("/api/hsds/services")


@pytest.mark.parametrize("path", ["/api/hsds/organizations", "/api/hsds/service_at_locations"])
def test_other_lists_take_a_constant_number_of_queries(client, catalogue, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for number in range(8):
        owner = factories.association(f"api-{number}")
        factories.service(
            owner, f"api-{number}", place=factories.location(owner), hours=[(0, "09:00", "12:00")]
        )
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few)


def test_a_cors_preflight_allows_conditional_requests_and_exposes_the_validators(client, catalogue):
    preflight = client.options(
        "/api/hsds/services",
        HTTP_ORIGIN="https://app.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    exposed = client.get("/api/hsds/services")["Access-Control-Expose-Headers"]
    assert "ETag" in exposed and "Last-Modified" in exposed


@pytest.mark.parametrize("lang", ["xx", "de", "<script>"])
def test_an_unknown_lang_is_a_400_in_json(client, catalogue, lang):
    response = client.get("/api/hsds/services", {"lang": lang})
    assert response.status_code == 400
    assert "lang" in response.json()["error"]


@pytest.mark.parametrize("path", ["/api/hsds/nothing", "/api/hsds/services/x/y", "/api/hsds/%00"])
def test_an_unknown_api_address_answers_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_service_links_to_its_public_page_and_carries_its_whatsapp(client, catalogue):
    rights = catalogue["associations"]["rights"]
    rights.whatsapp = "+212 600 00 01 23"
    rights.save()
    lawyer = catalogue["services"]["lawyer"]
    data = client.get(f"/api/hsds/services/{lawyer.uuid}", {"lang": "ar"}).json()
    assert data["url"] == "http://testserver/ar/services/consultation-avocat/"
    whatsapp = [p for p in data["phones"] if p.get("description") == "WhatsApp"]
    assert [(p["number"], p["type"]) for p in whatsapp] == [("+212 600 00 01 23", "cell")]


def test_the_openapi_description_is_served_by_the_site(client, db):
    about = client.get("/api/hsds/").json()
    assert about["openapi_url"] == "http://testserver/api/hsds/openapi.json"
    document = client.get("/api/hsds/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "http://testserver/api/hsds"}]
    assert "/services" in document["paths"]


def test_the_summary_leads_the_description_not_the_alternate_name(client, catalogue):
    """HSDS 3.0 has no summary field; alternate_name is another name for the service."""
    lawyer = catalogue["services"]["lawyer"]
    lawyer.description_fr = "Le mardi, sur rendez-vous."
    lawyer.save()
    data = client.get(f"/api/hsds/services/{lawyer.uuid}", {"lang": "fr"}).json()
    assert "alternate_name" not in data
    assert data["description"] == (
        "Des avocats bénévoles répondent à vos questions sur le séjour et l'asile."
        "\n\nLe mardi, sur rendez-vous."
    )


@pytest.mark.parametrize(
    ("summary", "text"),
    [
        ("Short.", "Long text.\n\nWith two paragraphs."),
        ("", "Only a text."),
        ("Only a summary.", ""),
    ],
)
def test_summary_and_description_come_back_from_the_hsds_description(summary, text):
    combined = serializers.description(summary, text)
    assert serializers.summary_and_description(combined) == (
        (summary, text) if summary and text else ("", summary or text)
    )
