"""The desk in real use, in a real browser: dates in French and Spanish, the back button,
and axe-core on every new page in Arabic and French."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import Referral
from services.models import Service
from tests.twofactor import confirm_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, language, user, password):
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("[name=username]", user.username)
    page.fill("[name=password]", password)
    page.locator("main form button[type=submit]").click()
    confirm_with_code(page, user.username)
    expect(page).to_have_url(re.compile(rf"/{language}/desk/$"))


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_follow_up_date_and_a_statistics_range_survive_in_the_language(
    page, live_server, referral, desk_user, password, language
):
    log_in(page, live_server, language, desk_user, password)
    day = (timezone.localdate() + timedelta(days=9)).isoformat()
    page.goto(f"{live_server.url}/{language}/desk/referrals/{referral.reference}/")
    page.fill("[name=follow_up_on]", day)
    page.locator("main form.inline-form button[type=submit]").click()
    expect(page.locator("[name=follow_up_on]")).to_have_value(day)
    # Save again without touching the field: the date must not be erased.
    page.locator("main form.inline-form button[type=submit]").click()
    expect(page.locator("[name=follow_up_on]")).to_have_value(day)
    referral.refresh_from_db()
    assert referral.follow_up_on.isoformat() == day and referral.version == 3

    page.goto(f"{live_server.url}/{language}/stats/")
    page.fill("[name=start]", "2025-01-01")
    page.fill("[name=end]", "2025-06-30")
    page.locator("form.search-form button[type=submit]").click()
    expect(page.locator("[name=start]")).to_have_value("2025-01-01")
    expect(page.locator("[name=end]")).to_have_value("2025-06-30")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_back_then_save_records_no_second_referral(
    page, live_server, catalogue, desk_user, password, assert_accessible, language
):
    log_in(page, live_server, language, desk_user, password)
    page.goto(f"{live_server.url}/{language}/desk/refer/?service=consultation-avocat")
    page.select_option("[name=age_band]", "18-25")
    page.check("[name=consent_given]")
    page.locator("form.referral-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/desk/referrals/R-[A-Z0-9]{{6}}/$"))
    referral = Referral.objects.get()

    page.go_back()  # the browser's own back button
    expect(page).to_have_url(re.compile(r"/desk/refer/\?service=consultation-avocat$"))
    page.select_option("[name=age_band]", "18-25")
    page.check("[name=consent_given]")
    page.locator("form.referral-form button[type=submit]").click()

    assert Referral.objects.count() == 1
    link = page.locator(f"main a[href='/{language}/desk/referrals/{referral.reference}/']")
    expect(link.first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_desks_new_pages_are_accessible(
    page, live_server, make_referral, desk_user, password, assert_accessible, language
):
    referral = make_referral()
    make_referral(status="declined", outcome_reason_code="no_capacity")
    log_in(page, live_server, language, desk_user, password)

    page.fill("#q", referral.reference[2:].lower())  # without R-, in lower case
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/desk/referrals/{referral.reference}/$"))
    assert_accessible(page)

    page.locator(f"a[href$='/desk/people/{referral.client_code}/']").click()
    expect(page.locator("main table")).to_contain_text(referral.reference)
    assert_accessible(page)

    page.goto(f"{live_server.url}/{language}/desk/referrals/{referral.reference}/")
    page.locator(f"a[href$='/{referral.reference}/cancel/']").click()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".status-line")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == "cancelled"
    expect(page.locator(f"a[href$='/{referral.reference}/slip/']")).to_have_count(0)

    page.goto(f"{live_server.url}/{language}/desk/preferences/")
    assert_accessible(page)
    page.select_option("[name=language]", "es")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[name=language]")).to_have_value("es")

    # The same service twice within ten minutes: the form asks first.
    page.goto(f"{live_server.url}/{language}/desk/refer/?service=consultation-avocat")
    assert_accessible(page)
    page.select_option("[name=age_band]", "18-25")
    page.check("[name=consent_given]")
    page.locator("form.referral-form button[type=submit]").click()
    page.locator("form.referral-form button[type=submit]").click()
    expect(page.locator("[name=repeat_confirmed]")).to_be_visible()
    assert_accessible(page)
    page.check("[name=repeat_confirmed]")
    page.locator("form.referral-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/desk/referrals/R-[A-Z0-9]{6}/$"))


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_association_staff_decline_with_a_reason_and_search_by_client_code(
    page, live_server, make_referral, partner_user, password, assert_accessible, language
):
    referral = make_referral()
    log_in(page, live_server, language, partner_user, password)
    page.fill("#q", referral.client_code)
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text(referral.reference)
    assert_accessible(page)

    page.locator(f"main a[href$='/desk/referrals/{referral.reference}/']").click()
    assert_accessible(page)
    form = page.locator("form.action-form:has(input[value=declined])")
    form.locator("select[name=reason]").select_option("not_eligible")
    form.locator("button[type=submit]").click()
    expect(page.locator(".status-line")).to_be_visible()
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_reason_code) == ("declined", "not_eligible")
    assert_accessible(page)


@pytest.fixture
def longest_demo_service(db):
    """The demo catalogue, and its service with the longest texts (the hardest slip)."""
    from services.demo import load_catalogue, read_catalogue

    load_catalogue(read_catalogue())

    def size(service):
        fields = ("name", "summary", "description", "eligibility", "required_documents", "fees")
        texts = [
            getattr(service, f"{field}_{code}") or ""
            for field in fields
            for code in ["ar", "fr", "es", "en"]
        ]
        location = service.location
        if location:
            texts += [
                getattr(location, f"transport_{code}") or "" for code in ("ar", "fr", "es", "en")
            ]
        return sum(map(len, texts)) + 40 * service.hours.count()

    services = Service.objects.active().select_related("location").prefetch_related("hours")
    return max(services, key=size)


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_the_slip_of_the_longest_demo_service_prints_on_one_a4_page(
    page, live_server, longest_demo_service, desk_user, password, assert_accessible, language
):
    service = longest_demo_service
    referral = Referral.objects.create(
        service=service,
        association=service.association,
        created_by=desk_user,
        client_code="P-PRINT1",
        age_band="26-35",
        preferred_language=language,
        need_category=service.categories.first(),
        consent_given=True,
    )
    log_in(page, live_server, "fr", desk_user, password)
    page.goto(f"{live_server.url}/fr/desk/referrals/{referral.reference}/slip/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("svg.qr")).to_have_count(1)
    assert_accessible(page)
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
