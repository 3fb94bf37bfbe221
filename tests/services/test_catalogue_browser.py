"""A migrant on a cheap phone finds a service in Arabic; pages pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 360, "height": 640},
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,  # so that axe-core can be injected
}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(**PHONE, locale="ar-MA")
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    yield page
    context.close()
    assert outside == []


def test_arabic_phone_journey_search_filter_open(phone, live_server, catalogue, assert_accessible):
    phone.goto(f"{live_server.url}/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(phone)

    phone.get_by_label("ماذا تحتاج؟").fill("محامي")
    phone.get_by_role("button", name="بحث").click()
    expect(phone).to_have_url(re.compile(r"/ar/services/\?q="))
    assert_accessible(phone)

    phone.locator("summary", has_text="عوامل التصفية").click()
    phone.get_by_label("مجاناً").check()
    phone.get_by_role("button", name="تطبيق عوامل التصفية").click()
    expect(phone.get_by_role("status").filter(has_text="خدمة")).to_be_visible()
    phone.get_by_role("link", name="استشارة مجانية مع محامي").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("استشارة مجانية مع محامي")
    assert_accessible(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page scrolls sideways on a phone"


@pytest.mark.parametrize("language", ["ar", "fr"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/services/",
        "/services/?q=avocat&free=1",
        "/services/consultation-avocat/",
        "/associations/",
        "/associations/droits-pour-tous/",
    ],
)
def test_catalogue_pages_are_accessible(
    page, live_server, catalogue, assert_accessible, language, path
):
    page.goto(f"{live_server.url}/{language}{path}")
    assert_accessible(page)


def test_catalogue_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/services/")
    page.get_by_label("Que cherchez-vous ?").fill("avocat")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="Consultation gratuite avec un avocat")).to_be_visible()
    context.close()


def test_service_page_prints_on_one_page(page, live_server, catalogue):
    page.goto(f"{live_server.url}/fr/services/consultation-avocat/")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
