"""The statistics page in a real browser: accessible in Arabic and French, no script needed."""

import pytest

from tests.twofactor import confirm_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_statistics_page_is_accessible(
    page, live_server, make_referral, municipal_admin, password, assert_accessible, language
):
    for _ in range(12):
        make_referral()
    make_referral(nationality="SY", region="western_asia")
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("[name=username]", municipal_admin.username)
    page.fill("[name=password]", password)
    page.locator("main form button[type=submit]").click()
    confirm_with_code(page, municipal_admin.username)
    page.goto(f"{live_server.url}/{language}/stats/")
    # Nine charts of referrals, one of the catalogue's health over time (admins only).
    assert page.locator("svg.chart").count() == 10
    assert page.locator("#health-history").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_numbers_line_up_under_their_headers_and_chart_labels_are_whole(
    page, live_server, settings, assert_accessible, language
):
    from django.core.management import call_command

    settings.DEBUG = True  # the demo accounts
    call_command("load_demo", verbosity=0)
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("[name=username]", "admin")
    page.fill("[name=password]", "guichet-demo")
    page.locator("main form button[type=submit]").click()
    confirm_with_code(page, "admin")
    page.goto(f"{live_server.url}/{language}/stats/")
    # The right edges of each numbers column (a table may have several): its header's
    # text, every figure's text.
    edges = page.evaluate(
        """() => [...document.querySelectorAll("main table")].filter(t => t.querySelector("th.number"))
        .flatMap(table => {
            const columns = {};
            for (const cell of table.querySelectorAll(".number")) {
                const range = document.createRange(); range.selectNodeContents(cell);
                (columns[cell.cellIndex] ??= []).push(Math.round(range.getBoundingClientRect().right));
            }
            return Object.values(columns); })"""
    )
    assert edges and all(len(set(column)) == 1 for column in edges), edges
    # Every label drawn inside its chart, none cut short without its full text.
    labels = page.evaluate(
        """() => [...document.querySelectorAll("svg.chart .chart-label")].map(label => {
            const box = label.getBBox(), width = label.ownerSVGElement.viewBox.baseVal.width;
            const title = label.querySelector("title");
            return [box.x >= 0 && box.x + box.width <= width,
                    !label.textContent.includes("…") || title !== null]; })"""
    )
    assert labels and all(inside and whole for inside, whole in labels)
    assert_accessible(page)
