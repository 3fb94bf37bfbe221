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
    assert page.locator("svg.chart").count() == 9
    assert_accessible(page)
