"""The service page: everything a person needs before going, in their language."""

from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from services.models import Service

CITY = ZoneInfo("Africa/Casablanca")


@pytest.fixture
def lawyer_page(client, catalogue):
    def get(language="en"):
        return client.get(f"/{language}/services/consultation-avocat/")

    return get


def test_detail_shows_the_service_in_the_visitors_language(lawyer_page):
    html = lawyer_page("es").content.decode()
    assert "Consulta gratuita con un abogado" in html


def test_detail_has_tel_geo_and_openstreetmap_links(lawyer_page, catalogue):
    rights = catalogue["associations"]["rights"]
    rights.phone = "+212 539 00 01 23"
    rights.whatsapp = "+212 600 00 01 23"
    rights.save()
    html = lawyer_page().content.decode()
    assert 'href="tel:+212539000123"' in html
    assert 'href="https://wa.me/212600000123"' in html
    assert 'href="geo:35.785000,-5.812000"' in html
    assert "openstreetmap.org/?mlat=35.785000&amp;mlon=-5.812000" in html


def test_detail_marks_today_in_the_opening_hours(lawyer_page, clock):
    clock(datetime(2026, 11, 25, 10, 0, tzinfo=CITY))
    html = lawyer_page().content.decode()
    assert '<tr class="today" aria-current="date"><th scope="row">Wednesday' in html
    assert "Open now" in html


def test_detail_says_when_a_closed_service_opens(lawyer_page, clock):
    clock(datetime(2026, 11, 24, 10, 0, tzinfo=CITY))
    html = lawyer_page().content.decode()
    assert "Closed now" in html and "opens tomorrow at 09:00" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "ouvre aujourd'hui à 09:00"), ("ar", "يفتح اليوم على الساعة 09:00")],
)
def test_detail_says_today_on_the_day_it_opens(lawyer_page, monkeypatch, language, expected):
    monkeypatch.setattr(
        "services.views.city_now", lambda: datetime(2026, 11, 25, 7, 0, tzinfo=CITY)
    )
    assert expected in unescape(lawyer_page(language).content.decode())


def test_detail_shows_last_verified_date(lawyer_page, catalogue):
    Service.objects.filter(slug="consultation-avocat").update(last_verified_on="2026-10-01")
    assert "Information last verified on Oct. 1, 2026." in lawyer_page().content.decode()


def test_inactive_service_answers_404(client, catalogue):
    Service.objects.filter(slug="consultation-avocat").update(status=Service.Status.INACTIVE)
    assert client.get("/fr/services/consultation-avocat/").status_code == 404


def test_service_of_an_inactive_association_answers_404(client, catalogue):
    catalogue["associations"]["rights"].is_active = False
    catalogue["associations"]["rights"].save()
    assert client.get("/fr/services/consultation-avocat/").status_code == 404


def test_temporarily_closed_service_says_so(lawyer_page):
    Service.objects.filter(slug="consultation-avocat").update(
        status=Service.Status.TEMPORARILY_CLOSED
    )
    assert "temporarily closed" in lawyer_page().content.decode()


def test_missing_translation_falls_back_visibly_with_its_own_lang(client, catalogue):
    Service.objects.filter(slug="consultation-avocat").update(name_ar="")
    html = client.get("/ar/services/consultation-avocat/").content.decode()
    assert (
        '<span class="fallback" lang="fr" dir="ltr">Consultation gratuite avec un avocat</span>'
        in html
    )
    assert "(بالفرنسية)" in html


def test_missing_arabic_paragraphs_fall_back_with_their_own_lang(client, catalogue):
    Service.objects.filter(slug="consultation-avocat").update(
        description_ar="", description_fr="Premier paragraphe.\n\nSecond."
    )
    html = client.get("/ar/services/consultation-avocat/").content.decode()
    assert '<div class="fallback" lang="fr" dir="ltr"><p>Premier paragraphe.</p>' in html


def test_detail_takes_a_constant_number_of_queries(client, catalogue, django_assert_num_queries):
    # catalogue version (page cache), service+association+location+district,
    # categories, audiences, languages, hours
    with django_assert_num_queries(6):
        client.get("/fr/services/consultation-avocat/")


def test_arabic_lists_use_the_arabic_comma(lawyer_page, catalogue):
    from tests import factories

    catalogue["services"]["lawyer"].audiences.add(factories.audience("children", {"ar": "الأطفال"}))
    html = lawyer_page("ar").content.decode()
    assert '<span lang="fr">Français</span>، <span lang="wo">Wolof</span>' in html
    assert "النساء، الأطفال" in html or "الأطفال، النساء" in html
    assert "طنجة المدينة" in html and ", طنجة" not in html


@pytest.mark.parametrize(("language", "label"), [("ar", "واتساب"), ("fr", "WhatsApp")])
def test_contact_labels_are_translated_and_addresses_isolated(
    lawyer_page, catalogue, language, label
):
    rights = catalogue["associations"]["rights"]
    rights.whatsapp = "+212 600 00 01 23"
    rights.website = "https://droits.example.org/"
    rights.save()
    html = lawyer_page(language).content.decode()
    assert f"<li>{label}: <a" in html
    assert 'rel="noopener" dir="ltr">https://droits.example.org/</a>' in html


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_service_without_a_fixed_place_shows_no_address_or_map(lawyer_page, catalogue, language):
    Service.objects.filter(slug="consultation-avocat").update(location=None)
    html = lawyer_page(language).content.decode()
    assert "geo:" not in html and "openstreetmap" not in html
    assert "12 Rue de la Paix" not in html
    assert {"ar": "لا عنوان ثابت", "fr": "pas d'adresse fixe"}[language] in html
