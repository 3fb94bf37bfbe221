"""Report a problem with JavaScript off; the new pages pass axe-core in Arabic and French."""

import re

import pytest
from playwright.sync_api import expect

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
