"""The service page: everything a person needs before going, in their language."""

from datetime import datetime
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
    assert "Closed now" in html and "opens Wednesday at 09:00" in html


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
