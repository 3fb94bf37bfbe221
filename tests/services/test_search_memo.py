"""A popular search skips its word lookup: what the lookup said is remembered per
catalogue version, so a change to the lexicon or the vocabulary is seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.models import SearchTerm
from services.search import search

LOOKUP = "WITH token AS"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """The page cache would answer a second request without running the view."""
    settings.PAGE_CACHE_ENABLED = False


def _lookups(client, url: str) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    slugs = [card.slug for card in response.context["page"].object_list]
    return slugs, sum(LOOKUP in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("language", ["fr", "ar", "es", "en"])
def test_the_same_search_again_skips_the_lookup(client, catalogue, language):
    url = f"/{language}/services/?q=avocat+tanger"
    first, lookups = _lookups(client, url)
    assert lookups == 1
    again, lookups = _lookups(client, url)
    assert lookups == 0
    assert again == first
    assert "consultation-avocat" in first


def test_a_new_vocabulary_term_is_found_at_once(client, catalogue):
    url = "/fr/services/?q=kwmbx"
    found, _ = _lookups(client, url)
    assert "consultation-avocat" not in found
    SearchTerm.objects.create(term="kwmbx", language="ary", words=["avocat"])
    found, lookups = _lookups(client, url)
    assert lookups == 1  # the catalogue version moved: the lookup runs again
    assert "consultation-avocat" in found


def test_outside_a_public_page_every_search_looks_its_words_up(catalogue):
    from services.models import Service

    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            search(Service.objects.active(), "avocat")
        assert sum(LOOKUP in q["sql"] for q in queries.captured_queries) == 1
