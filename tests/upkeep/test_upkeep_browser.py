"""Report a problem with JavaScript off; the new pages pass axe-core in Arabic and French."""

import re

import pytest
from playwright.sync_api import expect

from tests.twofactor import confirm_with_code
from upkeep.models import ProblemReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_visitor_reports_a_problem_with_javascript_off(browser, live_server, catalogue, language):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/{language}/services/consultation-avocat/")
    page.locator("a[href$='/consultation-avocat/report/']").click()
    expect(page).to_have_url(re.compile(rf"/{language}/services/consultation-avocat/report/$"))
    page.check("input[name=kind][value=contact]")
    page.fill("[name=text]", "Le numéro ne répond plus.")
    page.locator("form.report-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/report/sent/$"))
    context.close()
    report = ProblemReport.objects.get()
    assert (report.kind, report.text, report.language) == (
        "contact",
        "Le numéro ne répond plus.",
        language,
    )


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_report_pages_are_accessible(page, live_server, catalogue, language, assert_accessible):
    page.goto(f"{live_server.url}/{language}/services/consultation-avocat/report/")
    assert_accessible(page)
    page.locator("form.report-form button[type=submit]").click()  # nothing chosen: errors shown
    assert_accessible(page)
    page.check("input[name=kind][value=hours]")
    page.locator("form.report-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/report/sent/$"))
    assert_accessible(page)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_association_staff_confirm_and_close_in_the_browser(
    page, live_server, catalogue, partner_user, password, language, assert_accessible
):
    ProblemReport.objects.create(
        service=catalogue["services"]["lawyer"], kind="hours", language="fr"
    )
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("[name=username]", partner_user.username)
    page.fill("[name=password]", password)
    page.locator("main form button[type=submit]").click()
    confirm_with_code(page, partner_user.username)
    page.goto(f"{live_server.url}/{language}/desk/our-services/")
    assert_accessible(page)
    page.locator("form[action$='/consultation-avocat/still-correct/'] button").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/{language}/desk/reports/")
    assert_accessible(page)
    page.locator("form.close-report button").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert_accessible(page)
    assert ProblemReport.objects.get().closed_by == partner_user


def _log_in(page, live_server, language, username, password):
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", password)
    page.locator("main form button[type=submit]").click()
    confirm_with_code(page, username)
    expect(page).to_have_url(re.compile(rf"/{language}/desk/$"))


def test_an_arabic_partner_proposes_new_hours_an_admin_approves_the_public_page_shows_them(
    browser, live_server, catalogue, partner_user, municipal_admin, password, assert_accessible
):
    partner = browser.new_context(bypass_csp=True).new_page()
    _log_in(partner, live_server, "ar", partner_user.username, password)
    partner.locator("a[href='/ar/desk/our-services/']").first.click()
    assert_accessible(partner)
    partner.locator("a[href='/ar/desk/our-services/consultation-avocat/change/']").click()
    expect(partner.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(partner)
    partner.fill("[name=h0_0_opens]", "10:30")
    partner.fill("[name=h0_0_closes]", "15:00")
    partner.locator("form.proposal-form button[type=submit]").click()
    expect(partner).to_have_url(re.compile(r"/ar/desk/our-services/$"))
    expect(partner.locator(".message.success")).to_be_visible()
    assert_accessible(partner)

    public = browser.new_context(bypass_csp=True).new_page()
    public.goto(f"{live_server.url}/ar/services/consultation-avocat/")
    expect(public.locator("table.hours")).not_to_contain_text("10:30")

    # A transactional test empties the tables, the group's permissions (a data migration)
    # included: give the municipal admins back what moderation needs.
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name="municipal admin").permissions.add(
        *Permission.objects.filter(content_type__app_label="upkeep")
    )
    admin = browser.new_context(bypass_csp=True).new_page()
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("[name=username]", municipal_admin.username)
    admin.fill("[name=password]", password)
    admin.locator("input[type=submit]").click()
    confirm_with_code(admin, municipal_admin.username)
    admin.goto(f"{live_server.url}/admin/upkeep/proposal/")
    admin.locator("#result_list tbody a").first.click()
    expect(admin.locator("table.proposal-diff")).to_contain_text("10:30–15:00")
    assert_accessible(admin)
    admin.locator("form.decide input[type=submit].default").click()
    expect(admin.locator(".messagelist")).to_be_visible()

    public.reload()
    expect(public.locator("table.hours")).to_contain_text("10:30–15:00")
    assert_accessible(public)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_proposal_pages_are_accessible(
    page, live_server, catalogue, partner_user, password, language, assert_accessible
):
    _log_in(page, live_server, language, partner_user.username, password)
    page.goto(f"{live_server.url}/{language}/desk/our-services/new/")
    assert_accessible(page)
    page.locator("form.proposal-form").evaluate("form => form.noValidate = true")
    page.locator("form.proposal-form button[type=submit]").click()  # French name missing
    expect(page.locator(".message.error")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/{language}/desk/our-services/consultation-avocat/close/")
    assert_accessible(page)
    page.check("input[name=mode][value=temporarily]")
    page.locator("form.proposal-form button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_association_and_place_proposal_pages_are_accessible(
    page, live_server, catalogue, partner_user, password, language, assert_accessible
):
    place = catalogue["associations"]["rights"].locations.get()
    _log_in(page, live_server, language, partner_user.username, password)
    page.goto(f"{live_server.url}/{language}/desk/our-services/")
    page.locator(f"a[href$='/desk/our-services/places/{place.pk}/change/']").click()
    assert_accessible(page)
    page.fill("[name=transport_fr]", "Bus 12")
    page.locator("form.proposal-form button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()
    page.locator("a[href$='/desk/our-services/association/droits-pour-tous/change/']").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/{language}/desk/our-services/places/new/")
    page.locator("form.proposal-form").evaluate("form => form.noValidate = true")
    page.locator("form.proposal-form button[type=submit]").click()  # French name missing
    expect(page.locator(".message.error")).to_be_visible()
    assert_accessible(page)
