"""The whole-page cache for anonymous visitors (guichet/pagecache.py)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.db import connection

from guichet import pagecache
from services.models import Service

CITY = ZoneInfo("Africa/Casablanca")
LAWYER = "/fr/services/consultation-avocat/"


def test_an_anonymous_page_is_served_from_the_cache(client, catalogue, django_assert_num_queries):
    first = client.get(LAWYER)
    assert first["X-Cache"] == "MISS"
    # Only the catalogue version is read: no view, no template.
    with django_assert_num_queries(1):
        again = client.get(LAWYER)
    assert again["X-Cache"] == "HIT"
    assert again.content == first.content


@pytest.mark.parametrize(
    "path",
    [
        "/fr/",
        "/ar/services/",
        "/fr/services/?q=avocat",
        "/es/associations/",
        "/en/associations/droits-pour-tous/",
        "/api/hsds/services?per_page=20",
        "/api/hsds/organizations",
        "/api/hsds/taxonomy_terms",
    ],
)
def test_every_public_page_is_cached(client, catalogue, path):
    assert client.get(path)["X-Cache"] == "MISS"
    assert client.get(path)["X-Cache"] == "HIT"


def test_a_staff_page_is_never_cached(client, catalogue, desk_user):
    client.get(LAWYER)  # an anonymous visitor fills the cache
    client.force_login(desk_user)
    response = client.get(LAWYER)
    assert "X-Cache" not in response
    assert "/accounts/logout/" in response.content.decode()  # their own page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_staff_visit_stores_nothing(client, catalogue, desk_user):
    client.force_login(desk_user)
    client.get("/fr/")
    client.logout()
    assert client.get("/fr/")["X-Cache"] == "MISS"


def test_a_change_is_visible_at_once(client, catalogue):
    client.get(LAWYER)
    Service.objects.filter(slug="consultation-avocat").update(name_fr="Avocat du mardi")
    response = client.get(LAWYER)
    assert response["X-Cache"] == "MISS"
    assert "Avocat du mardi" in response.content.decode()


def test_a_change_in_raw_sql_is_visible_at_once(client, catalogue):
    client.get("/fr/associations/")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE associations_association SET name_fr = 'Droits et devoirs' "
            "WHERE slug = 'droits-pour-tous'"
        )
    assert "Droits et devoirs" in client.get("/fr/associations/").content.decode()


def test_a_change_to_a_many_to_many_link_is_visible_at_once(client, catalogue):
    client.get("/fr/services/?category=health")
    catalogue["services"]["lawyer"].categories.add(catalogue["categories"]["health"])
    html = client.get("/fr/services/?category=health").content.decode()
    assert "consultation-avocat" in html


def test_open_now_flips_within_a_minute(client, catalogue, clock):
    lawyer = "/en/services/consultation-avocat/"  # opens on Monday at 09:00
    clock(datetime(2026, 11, 23, 8, 59, 30, tzinfo=CITY))
    assert "Closed now" in client.get(lawyer).content.decode()
    clock(datetime(2026, 11, 23, 8, 59, 59, tzinfo=CITY))
    assert client.get(lawyer)["X-Cache"] == "HIT"
    clock(datetime(2026, 11, 23, 9, 0, 0, tzinfo=CITY))
    assert "Open now" in client.get(lawyer).content.decode()


def test_a_page_without_open_now_stays_cached_across_minutes(client, catalogue, clock):
    clock(datetime(2026, 11, 23, 8, 0, tzinfo=CITY))
    client.get("/fr/associations/droits-pour-tous/")
    clock(datetime(2026, 11, 23, 8, 5, tzinfo=CITY))
    assert client.get("/fr/associations/droits-pour-tous/")["X-Cache"] == "HIT"


def test_a_language_never_gets_anothers_page(client, catalogue):
    client.get("/fr/services/")
    arabic = client.get("/ar/services/")
    assert arabic["X-Cache"] == "MISS"
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, "es"),
        ({"HTTP_ACCEPT_LANGUAGE": "ar,fr;q=0.5"}, "ar"),
        ({}, "fr"),
    ],
)
def test_the_api_answers_in_the_language_asked_even_when_cached(
    client, catalogue, headers, language
):
    for other in ("fr", "es", "ar", "en"):
        client.get("/api/hsds/taxonomy_terms", HTTP_ACCEPT_LANGUAGE=other)
    response = client.get("/api/hsds/taxonomy_terms", **headers)
    assert response["Content-Language"] == language
    assert response["X-Cache"] == "HIT"


def test_a_cached_page_carries_no_csrf_token_nor_cookie(client, catalogue):
    client.get("/fr/")
    response = client.get("/fr/")
    assert response["X-Cache"] == "HIT"
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def test_a_page_with_a_form_token_is_never_cached(client, db):
    response = client.get("/fr/accounts/login/")
    assert "X-Cache" not in response
    assert "no-store" in response["Cache-Control"]


def test_a_request_with_a_message_is_never_served_from_the_cache(client, catalogue):
    client.get("/fr/")
    client.cookies["messages"] = "anything"
    response = client.get("/fr/")
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_a_post_is_never_served_from_the_cache(client, catalogue):
    client.get("/fr/")
    response = client.post("/fr/")
    assert response.status_code == 405
    assert "X-Cache" not in response


def test_head_is_served_from_the_cache_without_a_body(client, catalogue):
    client.get("/fr/")
    response = client.head("/fr/")
    assert response["X-Cache"] == "HIT"
    assert response.content == b""


def test_a_not_found_page_is_not_stored(client, catalogue):
    client.get("/fr/services/nobody/")
    assert client.get("/fr/services/nobody/").status_code == 404
    assert not caches["pages"]._cache  # locmem's own store


def test_anonymous_pages_are_public_for_a_shared_proxy(client, catalogue):
    response = client.get("/fr/services/")
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response["Vary"]


def test_the_api_varies_on_the_accepted_language(client, catalogue):
    response = client.get("/api/hsds/services")
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_a_known_etag_answers_304(client, catalogue):
    etag = client.get("/fr/")["ETag"]
    response = client.get("/fr/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_the_etag_changes_with_the_catalogue(client, catalogue):
    etag = client.get(LAWYER)["ETag"]
    Service.objects.filter(slug="consultation-avocat").update(name_fr="Autre nom")
    assert client.get(LAWYER, HTTP_IF_NONE_MATCH=etag).status_code == 200


# --- Bad input: cache-busting junk --------------------------------------------


def test_unknown_and_empty_parameters_share_the_entry_and_leave_the_page(client, catalogue):
    client.get("/fr/services/", {"category": "health", "free": "1"})
    response = client.get("/fr/services/?utm_source=x&free=1&district=&category=health&junk=%00")
    assert response["X-Cache"] == "HIT"
    assert "utm_source" not in response.content.decode()


def test_the_page_sees_the_last_of_a_repeated_parameter(client, catalogue):
    html = client.get("/fr/services/?category=legal-aid&category=health").content.decode()
    assert "consultation-medecin" in html and "consultation-avocat" not in html


def test_huge_page_numbers_and_long_searches_are_answered_but_not_stored(client, catalogue):
    assert client.get("/fr/services/", {"page": "99999999"}).status_code == 200
    assert client.get("/fr/services/", {"q": "x" * 150}).status_code == 200
    assert not caches["pages"]._cache and not caches["searches"]._cache


def test_a_flood_of_searches_never_evicts_the_other_pages(client, catalogue, monkeypatch, clock):
    clock(datetime(2026, 11, 23, 10, 0, tzinfo=CITY))  # the service page's minute stays
    searches = caches["searches"]
    monkeypatch.setattr(searches, "_max_entries", 10)
    client.get("/fr/")
    client.get(LAWYER)
    for number in range(searches._max_entries + 20):
        client.get("/fr/services/", {"q": f"mot{number}"})
    assert len(searches._cache) <= searches._max_entries
    assert client.get("/fr/")["X-Cache"] == "HIT"
    assert client.get(LAWYER)["X-Cache"] == "HIT"


def test_normalise_keeps_known_non_empty_parameters_sorted():
    from django.http import QueryDict

    query = QueryDict("z=1&b=2&a=&a=3&b=4&unknown=5")
    assert pagecache.normalise(query, frozenset({"a", "b", "z"})).urlencode() == "a=3&b=4&z=1"


def test_a_district_added_in_raw_sql_shows_in_the_filter_at_once(client, catalogue):
    client.get("/fr/services/")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO associations_district (slug, name, name_fr, position) "
            "VALUES ('marshan', 'Marshan', 'Marshan', 9)"
        )
    assert (
        '<option value="marshan">Marshan</option>' in client.get("/fr/services/").content.decode()
    )
