"""The home page in a real browser: accessible in Arabic and French, usable without JS."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_home_page_is_accessible(page, live_server, assert_accessible, language):
    page.goto(f"{live_server.url}/{language}/")
    assert_accessible(page)


def test_arabic_home_page_lays_out_right_to_left(page, live_server):
    page.goto(f"{live_server.url}/ar/")
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"


def test_language_switcher_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/")
    page.get_by_role("link", name="العربيّة").click()
    assert page.url == f"{live_server.url}/ar/"
    assert page.locator("html").get_attribute("dir") == "rtl"
    context.close()


def test_skip_link_moves_focus_to_the_main_content(page, live_server):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
