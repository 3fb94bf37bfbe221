"""On a 360 px phone, in Arabic: an everyday word the catalogue does not use, a Darija
word in Latin script, a typo and its correction, and the open-now page when nothing
is open. axe-core checks each page; none scrolls sideways."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 360, "height": 640},
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,  # so that axe-core can be injected
}
MONDAY_SEVEN_PM = datetime(2026, 11, 23, 19, 0, tzinfo=ZoneInfo("Africa/Casablanca"))


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(**PHONE, locale="ar-MA")
    page = context.new_page()
    yield page
    context.close()


def search_for(phone, words: str) -> None:
    phone.get_by_label("ماذا تحتاج؟").fill(words)
    phone.get_by_role("button", name="بحث", exact=True).click()
    expect(phone).to_have_url(re.compile(r"/ar/services/\?q="))


def fits(phone) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_arabic_phone_finds_everyday_and_darija_words(
    phone, live_server, catalogue, assert_accessible
):
    phone.goto(f"{live_server.url}/ar/")
    search_for(phone, "دكتور")  # everyday Arabic: the catalogue says طبيب
    expect(phone.get_by_role("link", name="فحص طبي عند طبيب عام")).to_be_visible()
    assert_accessible(phone)
    fits(phone)

    search_for(phone, "m7ami")  # Darija in Latin script, 7 for ح
    expect(phone.get_by_role("link", name="استشارة مجانية مع محامي")).to_be_visible()
    assert_accessible(phone)

    search_for(phone, "avoact")
    expect(phone.get_by_text("نتائج البحث عن")).to_be_visible()
    expect(phone.get_by_role("link", name="avocat")).to_be_visible()
    phone.get_by_role("link", name="ابحث عن «avoact» بدلاً من ذلك").click()
    expect(phone.get_by_role("heading", name="لا توجد خدمة تطابق بحثك")).to_be_visible()
    assert_accessible(phone)
    fits(phone)


def test_an_arabic_phone_at_night_sees_what_opens_next(
    phone, live_server, catalogue, assert_accessible, monkeypatch
):
    monkeypatch.setattr("services.views.city_now", lambda: MONDAY_SEVEN_PM)
    monkeypatch.setattr("services.filters.city_now", lambda: MONDAY_SEVEN_PM)
    phone.goto(f"{live_server.url}/ar/services/?category=health&open_now=1")
    expect(
        phone.get_by_role("heading", name="لا شيء مفتوح الآن. هذه الخدمات تفتح قريباً:")
    ).to_be_visible()
    soonest = phone.locator("#opening-next ~ ul .card").first
    expect(soonest).to_contain_text("مأوى ليلي")
    expect(soonest).to_contain_text("اليوم")
    expect(phone.get_by_role("heading", name="مفتوحة ليلاً أو طوال اليوم")).to_be_visible()
    expect(phone.locator('#empty-emergency ~ ul a[href="tel:19"]')).to_be_visible()
    assert_accessible(phone)
    fits(phone)
