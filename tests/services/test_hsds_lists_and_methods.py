"""Every filter the API documents works on every list that documents it (a bad value is a
400), and any other method than GET, HEAD and OPTIONS is a 405 in JSON."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    return {item["name"] for item in response.json()["contents"]}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/hsds/services", "/api/hsds/organizations", "/api/hsds/"])
def test_other_methods_answer_405_in_json(db, method, path):
    # A client with CSRF checks on, as a real one would meet them.
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 405 and response["Allow"] == "GET, HEAD, OPTIONS"


def test_organization_id_filters_services_at_locations(client, catalogue):
    care = catalogue["associations"]["care"]
    response = client.get("/api/hsds/service_at_locations", {"organization_id": str(care.uuid)})
    assert response.status_code == 200
    assert {item["service"]["id"] for item in response.json()["contents"]} == {
        str(s.uuid) for s in care.services.all() if s.location_id
    }


def test_search_filters_services_at_locations(client, catalogue):
    everything = client.get("/api/hsds/service_at_locations").json()["total_items"]
    found = client.get("/api/hsds/service_at_locations", {"search": "avocat"}).json()
    assert 0 < found["total_items"] < everything


def test_search_filters_organizations(client, catalogue):
    response = client.get("/api/hsds/organizations", {"search": "solidaire"})
    assert names(response) == {"Santé solidaire"}


def test_search_filters_taxonomy_terms(client, catalogue):
    response = client.get("/api/hsds/taxonomy_terms", {"search": "juridique"})
    assert names(response) == {"Aide juridique"}


def test_an_unknown_taxonomy_or_a_parent_gives_no_terms(client, catalogue):
    assert client.get("/api/hsds/taxonomy_terms", {"taxonomy_id": "other"}).json()["empty"]
    assert client.get("/api/hsds/taxonomy_terms", {"parent_id": "x"}).json()["empty"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/hsds/service_at_locations", {"organization_id": "not-a-uuid"}),
        ("/api/hsds/service_at_locations", {"taxonomy_term_id": "nope"}),
        ("/api/hsds/service_at_locations", {"modified_after": "2026-13-45"}),
        ("/api/hsds/organizations", {"search": "x" * 5000}),
        ("/api/hsds/taxonomy_terms", {"search": "x" * 5000}),
    ],
)
def test_a_bad_filter_value_is_a_400_everywhere(client, catalogue, path, params):
    response = client.get(path, params)
    assert response.status_code == 400 and response.json()["status"] == 400


def test_taxonomy_terms_come_in_pages(client, catalogue):
    first = client.get("/api/hsds/taxonomy_terms", {"per_page": 1}).json()
    second = client.get("/api/hsds/taxonomy_terms", {"per_page": 1, "page": 2}).json()
    assert first["total_items"] == 2 and first["size"] == 1 and first["total_pages"] == 2
    assert first["contents"][0]["id"] != second["contents"][0]["id"]


def test_every_term_is_a_top_term(client, catalogue):
    assert client.get("/api/hsds/taxonomy_terms", {"top_only": "true"}).json()["total_items"] == 2


def test_search_filters_taxonomies(client, db):
    assert client.get("/api/hsds/taxonomies", {"search": "guichet"}).json()["total_items"] == 1
    assert client.get("/api/hsds/taxonomies", {"search": "nothing"}).json()["empty"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/hsds/taxonomies", {"per_page": "0"}),
        ("/api/hsds/taxonomy_terms", {"page": "x"}),
        ("/api/hsds/taxonomy_terms", {"top_only": "maybe"}),
    ],
)
def test_a_bad_page_or_flag_is_a_400_on_the_short_lists(client, db, path, params):
    response = client.get(path, params)
    assert response.status_code == 400 and response.json()["status"] == 400
