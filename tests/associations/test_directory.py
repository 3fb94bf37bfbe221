"""The public directory of associations."""

from tests import factories


def found(client, params=None, language="fr") -> set[str]:
    response = client.get(f"/{language}/associations/", params or {})
    assert response.status_code == 200
    return {a.slug for a in response.context["page"].object_list}


def test_directory_lists_active_associations(client, catalogue):
    factories.association("closed-down", is_active=False)
    assert found(client) == {"droits-pour-tous", "sante-solidaire"}


def test_directory_filters_by_category_of_active_services(client, catalogue):
    assert found(client, {"category": "legal-aid"}) == {"droits-pour-tous"}


def test_directory_filters_by_district(client, catalogue):
    assert found(client, {"district": "beni-makada"}) == {"sante-solidaire"}


def test_directory_shows_the_number_of_active_services(client, catalogue):
    html = client.get("/en/associations/").content.decode()
    assert "2 services" in html and "1 service" in html


def test_association_page_lists_only_its_active_services(client, catalogue):
    catalogue["services"]["shelter"].status = "inactive"
    catalogue["services"]["shelter"].save()
    response = client.get("/en/associations/sante-solidaire/")
    assert [s.slug for s in response.context["association"].active_services] == [
        "consultation-medecin"
    ]


def test_inactive_association_page_answers_404(client, catalogue):
    factories.association("closed-down", is_active=False)
    assert client.get("/fr/associations/closed-down/").status_code == 404


def test_unknown_association_answers_404(client, catalogue):
    assert client.get("/fr/associations/nobody/").status_code == 404


def test_directory_takes_a_constant_number_of_queries(client, catalogue, django_assert_num_queries):
    for number in range(25):
        factories.association(f"extra-{number}")
    # catalogue version (page cache), category choices, district choices, count, page
    with django_assert_num_queries(5):
        client.get("/fr/associations/", {"page": 2})


def test_association_page_takes_a_constant_number_of_queries(
    client, catalogue, django_assert_num_queries
):
    # catalogue version (page cache), association, its locations with districts,
    # its active services
    with django_assert_num_queries(4):
        client.get("/fr/associations/sante-solidaire/")
