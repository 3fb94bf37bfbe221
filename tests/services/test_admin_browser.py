"""The curation list fits a 1280-pixel screen: status, free, last verified and missing
languages are visible without scrolling sideways."""

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.twofactor import confirm_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _admin_page(browser, live_server, user, password, locale: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    confirm_with_code(page, user.username)
    return context, page


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR", "ar-MA"])
def test_the_service_list_fits_1280_pixels(browser, live_server, municipal_admin, password, locale):
    call_command("load_demo", verbosity=0)
    context, page = _admin_page(browser, live_server, municipal_admin, password, locale)
    page.goto(f"{live_server.url}/admin/services/service/")
    results = page.locator("#changelist .results")
    overflow = results.evaluate("element => element.scrollWidth - element.clientWidth")
    context.close()
    assert overflow <= 1


@pytest.mark.parametrize("locale", ["ar-MA", "en-GB"])
def test_translation_tabs_open_on_french_whatever_the_admins_language(
    browser, live_server, municipal_admin, password, catalogue, locale
):
    service = catalogue["services"]["lawyer"]
    context, page = _admin_page(browser, live_server, municipal_admin, password, locale)
    page.goto(f"{live_server.url}/admin/services/service/{service.pk}/change/")
    page.wait_for_load_state("load")
    name_tabs = page.locator(".ui-tabs", has=page.locator("#id_name_fr"))
    active = name_tabs.locator(".ui-tabs-active a").text_content().strip()
    french_visible = page.locator("#id_name_fr").is_visible()
    arabic_visible = page.locator("#id_name_ar").is_visible()
    context.close()
    assert active == "fr"
    assert french_visible and not arabic_visible


def test_the_location_picker_lists_only_the_services_association_locations(
    browser, live_server, municipal_admin, password, catalogue
):
    service = catalogue["services"]["lawyer"]
    other = catalogue["services"]["doctor"].location
    context, page = _admin_page(browser, live_server, municipal_admin, password, "fr-FR")
    page.goto(f"{live_server.url}/admin/services/service/{service.pk}/change/")
    page.wait_for_load_state("load")
    page.locator("#id_location + .select2-container .select2-selection").click()
    results = "#select2-id_location-results"
    # Select2 first shows "Searching…" as an option: wait for the answer to replace it.
    page.locator(f"{results} .select2-results__option:not(.loading-results)").first.wait_for()
    page.locator(f"{results} .loading-results").wait_for(state="detached")
    options = page.locator(f"{results} .select2-results__option")
    offered = options.all_inner_texts()
    context.close()
    with translation.override("fr"):  # the page's language, whatever this thread's is
        assert offered == [str(service.location)]
        assert str(other) not in offered
