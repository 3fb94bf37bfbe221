"""A slip people can act on: how to go, how to book, hours with their notes, phone and
WhatsApp, date and reference, a QR code of the service's page; one A4 page each language."""

import re

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext

from referrals.models import Referral
from services.models import OpeningHours, Service

LANGUAGES = ["ar", "fr", "es", "en"]


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


def slip(client, referral) -> str:
    return client.get(f"/fr/desk/referrals/{referral.reference}/slip/").content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_slip_says_how_to_book_an_appointment(desk_client, make_referral, language):
    Service.objects.filter(slug="consultation-avocat").update(
        access=Service.Access.APPOINTMENT, phone="+212 539 11 22 33", whatsapp="+212 600 11 22 33"
    )
    html = slip(desk_client, make_referral(preferred_language=language))
    with translation.override(language):
        access = escape(str(Service.Access.APPOINTMENT.label))
        # {% translate %} writes the text as it is, apostrophes included.
        booking = gettext(
            "Book an appointment before you go: call or send a WhatsApp message to the "
            "numbers below."
        )
    assert access in html and booking in html
    assert "+212 539 11 22 33" in html and "+212 600 11 22 33" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_slip_shows_the_hours_notes_date_and_reference(desk_client, make_referral, language):
    slot = OpeningHours.objects.filter(service__slug="consultation-avocat").first()
    OpeningHours.objects.filter(pk=slot.pk).update(
        note_ar="بالموعد فقط",
        note_fr="Sur rendez-vous seulement",
        note_es="Solo con cita",
        note_en="By appointment only",
    )
    referral = make_referral(preferred_language=language)
    html = slip(desk_client, referral)
    note = {"ar": "بالموعد فقط", "fr": "Sur rendez-vous seulement", "es": "Solo con cita"}
    with translation.override(language):
        day = date_format(referral.created_at, "DATE_FORMAT")
    assert note.get(language, "By appointment only") in html
    assert referral.reference in html and day in html


def test_the_slip_no_longer_says_the_association_is_waiting(desk_client, make_referral):
    html = slip(desk_client, make_referral(preferred_language="en"))
    assert "is expecting you" not in html and "waiting for you" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_slip_has_a_qr_code_of_the_public_page_in_the_persons_language(
    desk_client, make_referral, language
):
    html = slip(desk_client, make_referral(preferred_language=language))
    assert re.search(r'<svg role="img"[^>]*class="qr"', html)
    assert f"http://testserver/{language}/services/consultation-avocat/" in html
    assert "<img" not in html


def test_a_referral_only_service_says_to_bring_the_paper(desk_client, make_referral):
    Service.objects.filter(slug="consultation-avocat").update(access=Service.Access.REFERRAL_ONLY)
    html = slip(desk_client, make_referral(preferred_language="en"))
    assert "receives only people sent by the desk" in html


def test_printing_is_logged_and_a_cancelled_referral_prints_nothing(desk_client, make_referral):
    referral = make_referral(status=Referral.Status.CANCELLED)
    response = desk_client.get(f"/fr/desk/referrals/{referral.reference}/slip/")
    assert response.status_code == 302
