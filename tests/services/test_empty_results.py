"""Empty result pages that help: every category with its count, the desk, the emergency
numbers; with "open now" and nothing open, what opens next and what is open at night."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

CITY = ZoneInfo("Africa/Casablanca")
MONDAY_SEVEN_PM = datetime(2026, 11, 23, 19, 0, tzinfo=CITY)
MONDAY_SEVEN_AM = datetime(2026, 11, 23, 7, 0, tzinfo=CITY)


@pytest.fixture
def at(monkeypatch):
    def set_time(moment):
        monkeypatch.setattr("services.views.city_now", lambda: moment)
        monkeypatch.setattr("services.filters.city_now", lambda: moment)

    return set_time


def listed(response, name: str) -> list[tuple[str, str]]:
    return [(card.slug, card.opening) for card in response.context.get(name) or []]


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_no_result_lists_every_category_with_its_count_the_desk_and_emergency_numbers(
    client, catalogue, language
):
    response = client.get(f"/{language}/services/", {"q": "zzzzqqq"})
    html = response.content.decode()
    counts = {c.slug: c.service_count for c in response.context["categories"]}
    assert counts == {"legal-aid": 1, "health": 2}
    assert '?category=legal-aid"' in html and '?category=health"' in html
    assert 'href="tel:19"' in html.split('id="empty-emergency"')[1]
    assert 'href="tel:+212539000000"' in html.split('id="empty-desk"')[1]


@pytest.mark.parametrize(
    ("language", "opens"),
    [
        ("fr", "Fermé, ouvre mercredi à 09:00"),
        ("ar", "مغلق، يفتح يوم الأربعاء على الساعة 09:00"),
        ("es", "Cerrado, abre el miércoles a las 09:00"),
        ("en", "Closed, opens Wednesday at 09:00"),
    ],
)
def test_open_now_with_nothing_open_lists_what_opens_next(client, catalogue, at, language, opens):
    at(MONDAY_SEVEN_PM)
    response = client.get(f"/{language}/services/", {"category": "legal-aid", "open_now": "1"})
    assert response.context["page"].paginator.count == 0
    assert listed(response, "opening_next") == [("consultation-avocat", opens)]
    assert listed(response, "open_at_night") == []


@pytest.mark.parametrize(
    ("language", "today"),
    [
        ("fr", "aujourd'hui"),
        ("ar", "اليوم"),
        ("es", "hoy"),
        ("en", "today"),
    ],
)
def test_a_service_opening_later_today_says_today(client, catalogue, at, language, today):
    at(MONDAY_SEVEN_AM)
    response = client.get(f"/{language}/services/", {"category": "legal-aid", "open_now": "1"})
    [(slug, opening)] = listed(response, "opening_next")
    assert slug == "consultation-avocat" and today in opening and "09:00" in opening


def test_what_opens_next_comes_soonest_first_and_night_services_are_listed(client, catalogue, at):
    at(MONDAY_SEVEN_PM)
    response = client.get("/fr/services/", {"category": "health", "open_now": "1"})
    assert [slug for slug, _ in listed(response, "opening_next")] == [
        "abri-de-nuit",  # today at 20:00
        "consultation-medecin",  # tomorrow at 08:00
    ]
    assert [slug for slug, _ in listed(response, "open_at_night")] == ["abri-de-nuit"]
    html = response.content.decode()
    assert "Rien n'est ouvert maintenant" in html or "Rien n’est ouvert maintenant" in html


def test_what_opens_next_keeps_the_search(client, catalogue, at):
    at(MONDAY_SEVEN_PM)
    response = client.get("/ar/services/", {"q": "طبيب", "open_now": "1"})
    assert [slug for slug, _ in listed(response, "opening_next")] == ["consultation-medecin"]


def test_the_empty_open_now_page_stays_within_ten_queries(
    client, catalogue, at, django_assert_max_num_queries
):
    """With the filters' choice lists cached, as they are but every five minutes (with
    them read too, the page takes eleven: the catalogue version, four lists, the word
    lookup, two key queries, the categories, what opens next and the cards)."""
    at(MONDAY_SEVEN_PM)
    client.get("/fr/services/", {"q": "abri", "open_now": "1", "free": "1"})  # fills the lists
    with django_assert_max_num_queries(10):
        client.get("/fr/services/", {"q": "avocat nuit médecin", "open_now": "1", "free": "1"})
