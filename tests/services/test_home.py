from django.core.cache import caches

from tests import factories


def test_home_lists_categories_with_the_number_of_active_services(client, catalogue):
    factories.service(slug="old", categories=[catalogue["categories"]["legal"]], status="inactive")
    html = client.get("/en/").content.decode()
    assert 'Legal aid</span> <span class="count">1 service</span>' in html
    assert 'Health</span> <span class="count">2 services</span>' in html


def test_home_has_a_search_box_that_leads_to_the_catalogue(client, catalogue):
    html = client.get("/fr/").content.decode()
    assert 'action="/fr/services/"' in html and 'name="q"' in html


def test_home_counts_services_once_per_catalogue_version(
    client, catalogue, django_assert_num_queries
):
    # The catalogue version, then the count of services per category.
    with django_assert_num_queries(2):
        client.get("/fr/")
    caches["pages"].clear()
    # Only the version: the counts are remembered for it.
    with django_assert_num_queries(1):
        client.get("/fr/")


def test_home_counts_change_with_the_catalogue(client, catalogue):
    client.get("/en/")
    factories.service(slug="more-law", categories=[catalogue["categories"]["legal"]])
    html = client.get("/en/").content.decode()
    assert 'Legal aid</span> <span class="count">2 services</span>' in html
