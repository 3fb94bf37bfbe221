"""The public pages on a 360-pixel phone, in Arabic and French: a header that leaves the
screen to the content, the staff links in the footer, cards that say open or closed in
a way no one takes for a language, and large Call and WhatsApp buttons."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
WEDNESDAY_TEN = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
PAGES = ["", "services/", "services/consultation-avocat/", "associations/"]


@pytest.fixture
def phone(browser, live_server, catalogue, clock):
    """A page in a phone-sized window, on a Wednesday at ten (the lawyer open until 13:00,
    the night shelter closed until 20:00); the lawyer has a phone and a WhatsApp number."""
    clock(WEDNESDAY_TEN)
    lawyer = catalogue["services"]["lawyer"]
    lawyer.phone, lawyer.whatsapp = "+212 539 00 06 60", "+212 600 00 06 60"
    lawyer.save()
    context = browser.new_context(viewport=PHONE, bypass_csp=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def box(locator) -> dict:
    return locator.evaluate(
        "element => { const r = element.getBoundingClientRect();"
        " return {width: r.width, height: r.height}; }"
    )


@pytest.mark.parametrize("language", ["ar", "fr"])
@pytest.mark.parametrize("path", PAGES)
def test_the_header_takes_at_most_a_quarter_of_the_first_screen(
    phone, live_server, assert_accessible, language, path
):
    phone.goto(f"{live_server.url}/{language}/{path}")
    assert box(phone.locator(".site-header"))["height"] <= PHONE["height"] / 4
    assert_accessible(phone)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_staff_login_and_open_data_are_in_the_footer_not_the_header(phone, live_server, language):
    phone.goto(f"{live_server.url}/{language}/")
    login = f'a[href="/{language}/accounts/login/"]'
    open_data = 'a[href^="/api/hsds/"]'
    assert phone.locator(f".site-header {login}, .site-header {open_data}").count() == 0
    assert phone.locator(f".site-footer {login}").is_visible()
    assert phone.locator(f".site-footer {open_data}").is_visible()


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_card_says_open_or_closed_on_a_line_unlike_the_language_tags(
    phone, live_server, language
):
    phone.goto(f"{live_server.url}/{language}/services/")
    lawyer = phone.locator(".card", has=phone.locator('a[href$="/consultation-avocat/"]'))
    shelter = phone.locator(".card", has=phone.locator('a[href$="/abri-de-nuit/"]'))
    open_state, closed_state = lawyer.locator(".state"), shelter.locator(".state")
    assert open_state.locator(".state-sign").is_visible()
    assert {"ar": "مفتوح الآن", "fr": "Ouvert maintenant"}[language] in open_state.inner_text()
    assert {"ar": "يغلق على الساعة 13:00", "fr": "ferme à 13:00"}[
        language
    ] in open_state.inner_text()
    assert {"ar": "مغلق", "fr": "Fermé"}[language] in closed_state.inner_text()
    assert lawyer.locator(".tags .state, .tags .state-sign").count() == 0

    def look(locator) -> tuple:
        return locator.evaluate(
            "element => { const s = getComputedStyle(element);"
            " return [s.color, s.backgroundColor, s.borderRadius]; }"
        )

    language_tag = lawyer.locator(".tags .tag[lang]").first
    assert look(open_state) != look(language_tag)
    assert look(open_state)[0] != look(closed_state)[0]  # green for open, red for closed


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_service_page_has_large_call_and_whatsapp_buttons(
    phone, live_server, assert_accessible, language
):
    phone.goto(f"{live_server.url}/{language}/services/consultation-avocat/")
    call = phone.locator(".call-buttons a.call")
    whatsapp = phone.locator(".call-buttons a.whatsapp")
    assert call.get_attribute("href") == "tel:+212539000660"
    assert whatsapp.get_attribute("href") == "https://wa.me/212600000660"
    for button in (call, whatsapp):
        size = box(button)
        assert size["height"] >= 44 and size["width"] >= 44
    # The buttons come before the address: reachable without scrolling on a phone.
    assert call.evaluate("element => element.getBoundingClientRect().bottom") <= PHONE["height"]
    assert_accessible(phone)
