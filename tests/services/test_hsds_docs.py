"""/api/hsds/docs/: the API's documentation for developers, a page of the site in the four
languages, valid and accessible, with nothing fetched from elsewhere."""

import re

import pytest

from services.hsds.views import PARAMETERS
from tests.conftest import LANGUAGES

ENDPOINTS = [
    "services",
    "organizations",
    "service_at_locations",
    "taxonomies",
    "taxonomy_terms",
    "tabular.zip",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_docs_answers_in_the_language_asked_for(client, db, language):
    response = client.get("/api/hsds/docs/", {"lang": language})
    assert response.status_code == 302 and response["Location"] == f"/{language}/api/hsds/docs/"


def test_docs_follows_the_browsers_language(client, db):
    response = client.get("/api/hsds/docs/", HTTP_ACCEPT_LANGUAGE="es-MA,es;q=0.9")
    assert response["Location"] == "/es/api/hsds/docs/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_docs_lists_every_address_and_parameter_with_examples(
    client, catalogue, assert_valid_html, language
):
    response = client.get(f"/{language}/api/hsds/docs/")
    html = response.content.decode()
    assert response.status_code == 200 and f'lang="{language}"' in html
    for endpoint in ENDPOINTS:
        assert f"GET /api/hsds/{endpoint}</code>" in html
    assert all(f'<code dir="ltr">{name}</code>' in html for name in PARAMETERS)
    assert 'href="/api/hsds/openapi.json"' in html
    assert_valid_html(response)


def test_each_example_answers(client, catalogue):
    html = client.get("/fr/api/hsds/docs/").content.decode()
    examples = set(re.findall(r'<a href="(/api/hsds/[^"]+)"', html))
    assert len(examples) >= 10
    for example in examples:
        assert client.get(example.replace("&amp;", "&")).status_code == 200, example


def test_docs_loads_nothing_from_elsewhere(client, db):
    html = client.get("/ar/api/hsds/docs/").content.decode()
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html)


def test_the_api_root_points_at_the_served_description(client, db):
    about = client.get("/api/hsds/").json()
    assert about["openapi_url"].endswith("/api/hsds/openapi.json")
    assert client.get("/api/hsds/openapi.json").json()["openapi"].startswith("3.")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_docs_is_accessible(page, live_server, catalogue, assert_accessible, language):
    page.goto(f"{live_server.url}/api/hsds/docs/?lang={language}")
    assert page.url.endswith(f"/{language}/api/hsds/docs/")
    assert_accessible(page)
