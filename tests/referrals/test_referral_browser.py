"""The two staff journeys in a real browser, with axe-core on every page passed."""

import re

import pytest
from playwright.sync_api import expect

from referrals.models import Referral
from tests.twofactor import confirm_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, language, username, password, assert_accessible):
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    assert_accessible(page)
    page.fill("[name=username]", username)
    page.fill("[name=password]", password)
    page.locator("main form button[type=submit]").click()
    confirm_with_code(page, username)
    expect(page).to_have_url(re.compile(rf"/{language}/desk/$"))
    assert_accessible(page)


def test_desk_refers_someone_and_prints_an_arabic_slip_from_a_french_interface(
    page, live_server, catalogue, desk_user, password, assert_accessible
):
    log_in(page, live_server, "fr", desk_user.username, password, assert_accessible)

    page.goto(f"{live_server.url}/fr/desk/refer/")
    page.fill("[name=q]", "avocat")
    page.locator("form[role=search] button[type=submit]").click()
    assert_accessible(page)
    page.locator("a[href='?service=consultation-avocat']").click()

    expect(page.locator("[name=client_code]")).to_have_value(re.compile(r"^P-[A-Z0-9]{6}$"))
    assert_accessible(page)
    page.select_option("[name=age_band]", "18-25")
    page.select_option("[name=nationality]", "CM")
    page.select_option("[name=preferred_language]", "ar")
    page.check("[name=consent_given]")
    page.locator("form.referral-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/fr/desk/referrals/R-[A-Z0-9]{6}/$"))
    assert_accessible(page)
    referral = Referral.objects.get()
    assert referral.preferred_language == "ar" and referral.region == "middle_africa"

    page.locator(f"a[href$='/{referral.reference}/slip/']").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=2)).to_have_text("استشارة مجانية مع محامي")
    assert_accessible(page)
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


def test_partner_accepts_and_records_the_outcome(
    page, live_server, make_referral, partner_user, password, assert_accessible
):
    referral = make_referral()
    log_in(page, live_server, "en", partner_user.username, password, assert_accessible)

    page.locator(f"a[href$='/{referral.reference}/']").click()
    assert_accessible(page)
    page.locator("form.action-form:has(input[value=accepted]) button").click()
    expect(page.locator(".status-line")).to_contain_text("Accepted")
    assert_accessible(page)

    page.fill("form.action-form:has(input[value=not_completed]) textarea", "Did not come back")
    page.locator("form.action-form:has(input[value=completed]) button").click()
    expect(page.locator(".status-line")).to_contain_text("Completed")
    assert_accessible(page)
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.events.count() == 3
