"""'A public service' — active, of an active association — is one rule
(ServiceQuerySet.active), and every place that shows or counts services follows it."""

import pytest

from services import health
from services.models import Service
from tests import factories

# Each one fails the rule in its own way; all are "legal aid" in Tangier-Medina and
# answer to the search "juridique".
NOT_PUBLIC = ["ferme-pour-travaux", "plus-offert", "association-dissoute"]


@pytest.fixture
def catalogue_with_hidden(catalogue):
    legal = catalogue["categories"]["legal"]
    care = catalogue["associations"]["care"]
    office = catalogue["services"]["lawyer"].location
    closed_down = factories.association("dissoute", is_active=False)
    far_office = factories.location(closed_down, catalogue["districts"]["medina"])
    for owner, slug, status, place in [
        (care, "ferme-pour-travaux", Service.Status.TEMPORARILY_CLOSED, None),
        (care, "plus-offert", Service.Status.INACTIVE, None),
        (closed_down, "association-dissoute", Service.Status.ACTIVE, far_office),
    ]:
        factories.service(
            owner,
            slug,
            f"Aide juridique {slug}",
            categories=[legal],
            status=status,
            place=place or office,
        )
    return catalogue


def test_the_rule(catalogue_with_hidden):
    public = set(Service.objects.active().values_list("slug", flat=True))
    assert public == {"consultation-avocat", "consultation-medecin", "abri-de-nuit"}


def test_the_catalogue_lists_and_finds_only_public_services(client, catalogue_with_hidden):
    listed = client.get("/fr/services/").context["page"].object_list
    found = client.get("/fr/services/", {"q": "juridique"}).context["page"].object_list
    assert {card.slug for card in listed} == set(
        Service.objects.active().values_list("slug", flat=True)
    )
    assert not {card.slug for card in found} & set(NOT_PUBLIC)


def test_the_home_page_counts_only_public_services(client, catalogue_with_hidden):
    counts = {c.slug: c.service_count for c in client.get("/fr/").context["categories"]}
    assert counts == {"legal-aid": 1, "health": 2}


def test_the_directory_counts_and_filters_by_public_services(client, catalogue_with_hidden):
    page = client.get("/fr/associations/").context["page"].object_list
    offering_legal_aid = client.get("/fr/associations/", {"category": "legal-aid"})
    assert {a.slug: a.service_count for a in page} == {
        "droits-pour-tous": 1,
        "sante-solidaire": 2,
    }
    assert [a.slug for a in offering_legal_aid.context["page"].object_list] == ["droits-pour-tous"]


def test_an_association_page_lists_only_its_public_services(client, catalogue_with_hidden):
    association = client.get("/fr/associations/sante-solidaire/").context["association"]
    assert {s.slug for s in association.active_services} == {
        "consultation-medecin",
        "abri-de-nuit",
    }


def test_catalogue_health_counts_only_public_services(catalogue_with_hidden):
    per_category = {row["label"]: row["count"] for row in health.per_category()}
    per_district = {row["label"]: row["count"] for row in health.per_district()}
    assert per_category == {"Aide juridique": 1, "Santé": 2}
    assert per_district == {"Tanger-Médina": 1, "Béni Makada": 2}
    assert health.service_figures()["freshness"]["total"] == 3


def test_only_a_temporarily_closed_service_keeps_its_page(client, catalogue_with_hidden):
    answers = {slug: client.get(f"/fr/services/{slug}/").status_code for slug in NOT_PUBLIC}
    assert answers == {"ferme-pour-travaux": 200, "plus-offert": 404, "association-dissoute": 404}
