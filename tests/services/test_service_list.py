"""The service list: query budget, pagination, page weight."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

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
    # The four filter choice lists, the typo lookup, the count, the page,
    # the languages and the hours of the page.
    with django_assert_max_num_queries(10):
        client.get(
            "/fr/services/", {"q": "clinique", "category": "health", "district": "beni-makada"}
        )


def test_list_query_count_does_not_grow_with_results(client, catalogue, many_services):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/fr/services/", {"q": "avocat"})
    with CaptureQueriesContext(connection) as many:
        client.get("/fr/services/", {"q": "clinique"})
    assert len(few) == len(many)


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
