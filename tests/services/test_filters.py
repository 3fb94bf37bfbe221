"""Catalogue filters, alone and combined."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from services.models import Audience, Service
from tests import factories

CASABLANCA = ZoneInfo("Africa/Casablanca")


def found(client, params: dict, language: str = "fr") -> set[str]:
    response = client.get(f"/{language}/services/", params)
    assert response.status_code == 200
    return {service.slug for service in response.context["page"].object_list}


def test_no_filter_lists_every_active_service(client, catalogue):
    assert found(client, {}) == {"consultation-avocat", "consultation-medecin", "abri-de-nuit"}


def test_category_filter(client, catalogue):
    assert found(client, {"category": "legal-aid"}) == {"consultation-avocat"}


def test_language_filter(client, catalogue):
    assert found(client, {"language": "wo"}) == {"consultation-avocat"}


def test_free_filter(client, catalogue):
    assert "consultation-medecin" not in found(client, {"free": "1"})


def test_free_filter_is_off_unless_ticked(client, catalogue):
    assert "consultation-medecin" in found(client, {"free": "0"})


def test_district_filter(client, catalogue):
    assert found(client, {"district": "tanger-medina"}) == {"consultation-avocat"}


def test_audience_filter(client, catalogue):
    assert found(client, {"audience": "women"}) == {"consultation-avocat"}


def test_no_id_filter(client, catalogue):
    assert found(client, {"no_id": "1"}) == {"consultation-avocat"}


def test_open_now_filter(client, catalogue, monkeypatch):
    tuesday_ten = datetime(2026, 11, 24, 10, 0, tzinfo=CASABLANCA)
    monkeypatch.setattr("services.filters.city_now", lambda: tuesday_ten)
    assert found(client, {"open_now": "1"}) == {"consultation-medecin"}


def test_filters_combine(client, catalogue):
    params = {"category": "health", "district": "beni-makada", "free": "1"}
    assert found(client, params) == {"abri-de-nuit"}


def test_search_and_filters_combine(client, catalogue):
    assert found(client, {"q": "consultation", "free": "1"}) == {"consultation-avocat"}


def test_inactive_services_are_not_listed(client, catalogue):
    Service.objects.filter(slug="abri-de-nuit").update(status=Service.Status.INACTIVE)
    assert "abri-de-nuit" not in found(client, {})


def test_services_of_an_inactive_association_are_not_listed(client, catalogue):
    catalogue["associations"]["care"].is_active = False
    catalogue["associations"]["care"].save()
    assert found(client, {}) == {"consultation-avocat"}


def test_result_count_is_shown(client, catalogue):
    html = client.get("/en/services/", {"category": "health"}).content.decode()
    assert "2 services found" in html


def test_empty_result_suggests_what_to_do(client, catalogue):
    html = client.get("/en/services/", {"q": "boulangerie", "free": "1"}).content.decode()
    assert "Remove a filter" in html and "Come to the desk" in html


def test_a_service_open_to_everyone_is_found_whoever_one_picks(client, catalogue):
    everyone = factories.audience(Audience.EVERYONE, "Everyone")
    catalogue["services"]["doctor"].audiences.add(everyone)
    assert found(client, {"audience": "women"}) == {"consultation-avocat", "consultation-medecin"}


def test_everyone_is_the_empty_choice_not_an_audience_as_well(client, catalogue):
    factories.audience(Audience.EVERYONE, {"ar": "الجميع", "fr": "Tout le monde"})
    html = client.get("/fr/services/").content.decode()
    assert html.count(">Tout le monde</option>") == 1


@pytest.mark.parametrize("path", ["/fr/services/", "/fr/associations/"])
def test_each_filter_lists_its_empty_choice_once(client, catalogue, path):
    html = client.get(path).content.decode()
    assert html.count(">Tous les arrondissements</option>") == 1
    assert html.count('<option value="" selected>') == html.count("<select ")
