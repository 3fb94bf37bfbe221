"""The cards of the service list: what each shows, read without model instances."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from services.cards import service_cards
from services.models import OpeningHours, Service, Slot

CITY = ZoneInfo("Africa/Casablanca")
WEDNESDAY_TEN = datetime(2026, 11, 25, 10, 0, tzinfo=CITY)
TUESDAY_TEN = datetime(2026, 11, 24, 10, 0, tzinfo=CITY)


@pytest.fixture
def at(clock):
    return clock


def _card(client, language: str, slug: str, **params):
    response = client.get(f"/{language}/services/", params)
    cards = {card.slug: card for card in response.context["page"].object_list}
    return cards[slug], response.content.decode()


def test_a_card_shows_the_service_in_the_visitors_language(client, catalogue, at):
    at(WEDNESDAY_TEN)
    card, html = _card(client, "es", "consultation-avocat")
    assert card.name == "Consulta gratuita con un abogado"
    assert card.association == "Derechos para todos"
    assert card.place == "Tánger-Medina"
    assert card.summary.startswith("Abogados voluntarios")
    assert 'href="/es/services/consultation-avocat/"' in html
    assert "<strong>Abierto ahora</strong> · cierra a las 13:00" in html
    assert card.is_free and card.no_id_needed
    assert list(card.languages) == [("fr", "Français"), ("wo", "Wolof")]  # same position: by code


def test_languages_on_a_card_follow_the_listed_order(client, catalogue):
    wolof, french = catalogue["languages"]["wo"], catalogue["languages"]["fr"]
    wolof.position, french.position = 1, 2
    wolof.save()
    french.save()
    card, html = _card(client, "en", "consultation-avocat")
    assert list(card.languages) == [("wo", "Wolof"), ("fr", "Français")]
    assert '<li class="tag" lang="wo">Wolof</li><li class="tag" lang="fr">Français</li>' in html


def test_a_card_says_open_now(client, catalogue, at):
    at(WEDNESDAY_TEN)
    card, html = _card(client, "en", "consultation-avocat")
    assert card.is_open and card.opening == "Open now"
    assert card.closes == "closes at 13:00"
    assert '<p class="state is-open">' in html and "<strong>Open now</strong>" in html


def test_a_card_says_when_a_closed_service_opens_in_the_visitors_language(client, catalogue, at):
    at(TUESDAY_TEN)
    card, _html = _card(client, "fr", "consultation-avocat")
    assert not card.is_open
    assert card.opening == "Fermé, ouvre demain à 09:00"


def test_a_card_reads_overnight_slots_into_the_next_morning(client, catalogue, at):
    at(datetime(2026, 11, 23, 7, 0, tzinfo=CITY))  # Monday, before 8: Sunday night's slot
    card, _html = _card(client, "en", "abri-de-nuit")
    assert card.is_open
    at(datetime(2026, 11, 23, 9, 0, tzinfo=CITY))
    card, _html = _card(client, "en", "abri-de-nuit")
    assert card.opening == "Closed, opens today at 20:00"


def test_a_card_without_hours_says_nothing_of_opening(client, catalogue):
    OpeningHours.objects.filter(service__slug="consultation-avocat").delete()
    card, _html = _card(client, "en", "consultation-avocat")
    assert card.opening == "" and not card.is_open


def test_a_card_marks_a_fallback_with_its_language(client, catalogue):
    Service.objects.filter(slug="abri-de-nuit").update(name_ar="")
    card, html = _card(client, "ar", "abri-de-nuit")
    assert '<span class="fallback" lang="fr" dir="ltr">Abri de nuit</span>' in card.name
    assert '<span class="fallback" lang="fr" dir="ltr">Abri de nuit</span>' in html


def test_a_card_escapes_what_it_shows(client, catalogue):
    Service.objects.filter(slug="abri-de-nuit").update(name_en="<script>alert(1)</script>")
    _, html = _card(client, "en", "abri-de-nuit")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cards_come_in_the_order_of_their_keys(catalogue):
    services = catalogue["services"]
    keys = [services["shelter"].pk, services["lawyer"].pk, services["doctor"].pk]
    now = WEDNESDAY_TEN
    assert [card.slug for card in service_cards(keys, now)] == [
        "abri-de-nuit",
        "consultation-avocat",
        "consultation-medecin",
    ]
    assert service_cards([], now) == []


def test_cards_take_one_query(catalogue, django_assert_num_queries):
    keys = [service.pk for service in catalogue["services"].values()]
    from guichet import catalogue
    from guichet.choices import choices

    # As on the list page: the catalogue version is read once for the request, and the
    # language names come from the cache.
    with catalogue.pinned():
        choices("services.Language", "code")()
        with django_assert_num_queries(1):
            service_cards(keys, WEDNESDAY_TEN)


@pytest.mark.parametrize(
    ("weekday", "opens", "closes"),
    [
        (0, time(9), time(13)),
        (0, time(20), time(8)),
        (6, time(22), time(6)),
        (3, time(18), time(0)),
        (4, time(8, 30, 15), time(16, 45, 30)),
    ],
)
def test_a_slot_reads_back_from_its_week_span(catalogue, weekday, opens, closes):
    slot = OpeningHours.objects.create(
        service=catalogue["services"]["doctor"], weekday=weekday, opens=opens, closes=closes
    )
    slot.refresh_from_db()
    assert Slot.from_week_span(slot.week_span) == (weekday, opens, closes)


@pytest.mark.parametrize(
    ("language", "today", "tomorrow", "later"),
    [
        (
            "ar",
            "مغلق، يفتح اليوم على الساعة 09:00",
            "مغلق، يفتح غدًا على الساعة 09:00",
            "مغلق، يفتح يوم الأربعاء على الساعة 09:00",
        ),
        (
            "fr",
            "Fermé, ouvre aujourd'hui à 09:00",
            "Fermé, ouvre demain à 09:00",
            "Fermé, ouvre mercredi à 09:00",
        ),
        (
            "es",
            "Cerrado, abre hoy a las 09:00",
            "Cerrado, abre mañana a las 09:00",
            "Cerrado, abre el miércoles a las 09:00",
        ),
        (
            "en",
            "Closed, opens today at 09:00",
            "Closed, opens tomorrow at 09:00",
            "Closed, opens Wednesday at 09:00",
        ),
    ],
)
def test_a_card_says_today_and_tomorrow_rather_than_the_days_name(
    client, catalogue, at, language, today, tomorrow, later
):
    at(datetime(2026, 11, 25, 7, 0, tzinfo=CITY))  # Wednesday, before 9
    assert _card(client, language, "consultation-avocat")[0].opening == today
    at(TUESDAY_TEN)
    assert _card(client, language, "consultation-avocat")[0].opening == tomorrow
    at(datetime(2026, 11, 23, 14, 0, tzinfo=CITY))  # Monday, after closing
    assert _card(client, language, "consultation-avocat")[0].opening == later
