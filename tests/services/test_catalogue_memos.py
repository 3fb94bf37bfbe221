"""The list page's cards and filter fields are built once per catalogue version,
language and minute, and never shown stale: a change to the catalogue, another
language, another minute or another filter value gives what a fresh page would."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

CITY = ZoneInfo("Africa/Casablanca")
CARDS = "ARRAY(SELECT h.week_span"  # the cards' query


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """The page cache would answer a second request without running the view."""
    settings.PAGE_CACHE_ENABLED = False


def _get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), sum(CARDS in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("language", ["fr", "ar", "es", "en"])
def test_the_same_page_again_reads_no_card(client, catalogue, clock, language):
    clock(datetime(2026, 11, 23, 10, 0, 5, tzinfo=CITY))
    url = f"/{language}/services/?category=health"
    first, reads = _get(client, url)
    assert reads == 1
    clock(datetime(2026, 11, 23, 10, 0, 50, tzinfo=CITY))
    again, reads = _get(client, url)
    assert reads == 0
    assert again == first


def test_a_renamed_service_shows_its_new_name_at_once(client, catalogue):
    html, _reads = _get(client, "/fr/services/?category=health")
    assert "Abri de nuit" in html
    shelter = catalogue["services"]["shelter"]
    shelter.name_fr = "Abri de nuit solidaire"
    shelter.save()
    html, reads = _get(client, "/fr/services/?category=health")
    assert reads == 1
    assert "Abri de nuit solidaire" in html


def test_a_language_never_gets_anothers_cards(client, catalogue):
    french, _reads = _get(client, "/fr/services/?category=health")
    arabic, reads = _get(client, "/ar/services/?category=health")
    assert reads == 1
    assert "مأوى ليلي" in arabic and "Abri de nuit" not in arabic
    assert "Gratuit" not in arabic
    assert "Abri de nuit" in french


def test_opening_hours_follow_the_minute(client, catalogue, clock):
    url = "/en/services/?category=legal-aid"  # the lawyer opens on Monday at 09:00
    clock(datetime(2026, 11, 23, 8, 59, 30, tzinfo=CITY))
    html, _reads = _get(client, url)
    assert "Closed, opens today at 09:00" in html
    clock(datetime(2026, 11, 23, 9, 0, 0, tzinfo=CITY))
    html, reads = _get(client, url)
    assert reads == 1
    assert "Open now" in html and "closes at 13:00" in html


def test_the_filters_show_the_values_sent(client, catalogue):
    html, _reads = _get(client, "/fr/services/?category=legal-aid&free=1")
    assert '<option value="legal-aid" selected>' in html
    assert '<input type="checkbox" name="free" value="1" id="id_free" checked>' in html
    html, _reads = _get(client, "/fr/services/?category=health")
    assert '<option value="health" selected>' in html
    assert '<option value="legal-aid" selected>' not in html
    assert '<input type="checkbox" name="free" value="1" id="id_free">' in html


def test_the_filters_speak_the_pages_language(client, catalogue):
    french, _reads = _get(client, "/fr/services/")
    arabic, _reads = _get(client, "/ar/services/")
    assert "Toutes les catégories" in french
    assert "Toutes les catégories" not in arabic


def test_a_new_category_appears_in_the_filter_at_once(client, catalogue):
    from tests import factories

    html, _reads = _get(client, "/fr/services/")
    assert "Logement" not in html
    factories.category(
        "housing", {"ar": "السكن", "fr": "Logement", "es": "Vivienda", "en": "Housing"}
    )
    html, _reads = _get(client, "/fr/services/")
    assert '<option value="housing">Logement</option>' in html


# --- The HSDS services list ---------------------------------------------------------

SERVICE_ROWS = 'FROM "services_service" LEFT OUTER JOIN "associations_location"'


def _api(client, url: str, **headers) -> tuple[list[dict], int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    full_reads = sum(
        '"services_service"."description_fr"' in q["sql"] for q in queries.captured_queries
    )
    return response.json()["contents"], full_reads


def test_the_same_api_page_again_reads_no_service(client, catalogue):
    first, reads = _api(client, "/api/hsds/services?lang=en")
    assert reads == 1
    again, reads = _api(client, "/api/hsds/services?lang=en")
    assert reads == 0
    assert again == first
    assert [item["name"] for item in first] == [
        "Night shelter",
        "Free consultation with a lawyer",
        "Consultation with a general doctor",
    ]


def test_the_api_shows_a_change_at_once_and_in_the_language_asked(client, catalogue):
    _api(client, "/api/hsds/services?lang=en")
    shelter = catalogue["services"]["shelter"]
    shelter.name_en = "Night shelter for all"
    shelter.save()
    items, reads = _api(client, "/api/hsds/services?lang=en")
    assert reads == 1
    assert "Night shelter for all" in [item["name"] for item in items]
    items, _reads = _api(client, "/api/hsds/services?lang=ar")
    assert "مأوى ليلي" in [item["name"] for item in items]


def test_the_api_links_each_service_on_the_host_asked(client, catalogue, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    items, _reads = _api(client, "/api/hsds/services?lang=fr")
    assert items[0]["url"].startswith("http://testserver/")
    items, _reads = _api(client, "/api/hsds/services?lang=fr", HTTP_HOST="other.example.org")
    assert items[0]["url"].startswith("http://other.example.org/")
