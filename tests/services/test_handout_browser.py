"""A service's page printed as a handout: one A4 page in each language, what a person needs
to get there first, no "open now" (stale on paper), a QR code of the page and the date."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from services.models import Service
from tests.conftest import LANGUAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT_FIELDS = ["name", "summary", "description", "eligibility", "required_documents", "fees"]


def pdf_pages(pdf: bytes) -> int:
    """Count the page objects of a PDF that Chromium wrote (not the /Pages tree node)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture
def longest_service(db):
    call_command("load_demo", verbosity=0)

    def size(service: Service) -> int:
        return max(
            sum(len(getattr(service, f"{field}_{code}") or "") for field in TEXT_FIELDS)
            for code in LANGUAGES
        )

    return max(Service.objects.active(), key=size)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_longest_demo_service_prints_on_one_page(page, live_server, longest_service, language):
    page.goto(f"{live_server.url}/{language}/services/{longest_service.slug}/")
    assert pdf_pages(page.pdf(format="A4")) == 1


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_handout_shows_no_opening_state_but_a_qr_code_and_the_date(
    page, live_server, longest_service, language
):
    page.goto(f"{live_server.url}/{language}/services/{longest_service.slug}/")
    page.emulate_media(media="print")
    expect(page.locator(".opening")).to_be_hidden()
    expect(page.locator(".call-buttons")).to_be_hidden()
    qr = page.locator(".handout-qr svg[role=img]")
    expect(qr).to_be_visible()
    assert f"/{language}/services/{longest_service.slug}/" in qr.locator("title").text_content()
    expect(page.locator(".handout-qr")).to_contain_text(
        {"ar": "طُبعت في", "fr": "Imprimé le"}[language]
    )


def test_the_handout_starts_with_where_contact_and_hours(page, live_server, longest_service):
    page.goto(f"{live_server.url}/fr/services/{longest_service.slug}/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:3] == ["Où", "Contact", "Horaires d'ouverture"]


def test_a_page_with_few_words_prints_on_one_page_in_arabic(page, live_server, catalogue):
    page.goto(f"{live_server.url}/ar/services/consultation-avocat/")
    assert pdf_pages(page.pdf(format="A4")) == 1
