"""The service list: query budget, pagination, page weight."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches

from tests import factories


@pytest.fixture
def many_services(catalogue):
    health = catalogue["categories"]["health"]
    french = catalogue["languages"]["fr"]
    clinic = catalogue["services"]["doctor"].location
    for number in range(45):
        factories.service(
            catalogue["associations"]["care"],
            f"clinique-{number}",
            f"Clinique de quartier {number}",
            summary="Des médecins et infirmières reçoivent sans rendez-vous, gratuitement.",
            categories=[health],
            languages=[french],
            place=clinic,
            hours=[(day, "08:00", "16:00") for day in range(5)],
        )


def test_list_takes_at_most_ten_queries_whatever_the_result_size(
    client, many_services, django_assert_max_num_queries
):
    # With nothing cached: the catalogue version, the four filter choice lists, the
    # typo lookup, the page's keys and count, the page's rows, their languages and
    # their hours.
    with django_assert_max_num_queries(10):
        client.get(
            "/fr/services/", {"q": "clinique", "category": "health", "district": "beni-makada"}
        )


def _queries(client, params) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from guichet.catalogue import forget_memos

    cache.clear()
    forget_memos()  # the most a page can take: no card remembered from another page
    with CaptureQueriesContext(connection) as queries:
        client.get("/fr/services/", params)
    return len(queries)


def test_list_query_count_does_not_grow_with_results(client, catalogue, many_services):
    assert _queries(client, {"q": "avocat"}) == _queries(client, {"q": "clinique"})
    assert _queries(client, {"category": "legal-aid"}) == _queries(client, {"category": "health"})


def test_a_page_past_the_end_of_ranked_results_shows_the_last_one(client, many_services):
    response = client.get("/en/services/", {"q": "clinique", "page": "7"})
    page = response.context["page"]
    assert page.number == 3  # 45 clinics, 20 a page
    assert len(page.object_list) == 5
    assert page.paginator.count == 45
    assert "fewer pages than that" in response.content.decode()


def test_ranked_pages_follow_one_another_without_gaps(client, many_services):
    seen = []
    for number in (1, 2, 3):
        page = client.get("/fr/services/", {"q": "clinique", "page": number}).context["page"]
        assert page.paginator.count == 45
        seen += [service.slug for service in page.object_list]
    assert len(seen) == len(set(seen)) == 45


def test_the_filter_choices_are_cached_and_a_new_category_shows_at_once(
    client, catalogue, django_assert_max_num_queries
):
    from tests import factories

    client.get("/fr/services/")
    caches["pages"].clear()  # rebuild the page, not serve it whole
    # The catalogue version, the count and the page; the four choice lists come from
    # the cache now.
    with django_assert_max_num_queries(5):
        client.get("/fr/services/")
    factories.category("housing-aid", {"fr": "Aide au logement"})
    html = client.get("/fr/services/").content.decode()
    assert '<option value="housing-aid">Aide au logement</option>' in html


def test_list_is_paginated(client, many_services):
    response = client.get("/fr/services/", {"page": 2})
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].number == 2


def test_pagination_links_keep_the_search(client, many_services):
    html = client.get("/en/services/", {"q": "clinique"}).content.decode()
    assert 'href="?q=clinique&amp;page=2"' in html


def test_first_visit_to_the_list_weighs_at_most_60_kb(client, many_services):
    html = client.get("/ar/services/", {"q": "clinique"}).content
    assets = 0
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        name = url.decode().removeprefix(settings.STATIC_URL)
        path = finders.find(name) or (settings.STATIC_ROOT / name)
        assets += Path(path).stat().st_size
    assert len(html) + assets <= 60 * 1024, (len(html), assets)


def test_a_deleted_district_leaves_the_filter_at_once(client, catalogue):
    client.get("/fr/services/")  # the district list is cached now
    catalogue["services"]["lawyer"].location.delete()
    catalogue["districts"]["medina"].delete()
    html = client.get("/fr/services/").content.decode()
    assert 'value="tanger-medina"' not in html
    assert 'value="beni-makada"' in html


def test_a_search_without_results_shows_the_empty_state(client, catalogue):
    response = client.get("/en/services/", {"q": "zzqqxxyy"})
    page = response.context["page"]
    assert page.paginator.count == 0 and page.number == 1 and list(page.object_list) == []
    assert "No service matches your search" in response.content.decode()
