"""The curation list fits a 1280-pixel screen: status, free, last verified and missing
languages are visible without scrolling sideways."""

import pytest
from django.core.management import call_command

from tests.twofactor import confirm_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Longer French and Arabic column names still overflow by a few dozen pixels (issue 16,
# item 5, not finished): shown here rather than hidden.
NOT_YET = pytest.mark.xfail(reason="longer column names overflow (issue 16)", strict=False)


@pytest.mark.parametrize(
    "locale", ["en-GB", pytest.param("fr-FR", marks=NOT_YET), pytest.param("ar-MA", marks=NOT_YET)]
)
def test_the_service_list_fits_1280_pixels(browser, live_server, municipal_admin, password, locale):
    call_command("load_demo", verbosity=0)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", municipal_admin.username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    confirm_with_code(page, municipal_admin.username)
    page.goto(f"{live_server.url}/admin/services/service/")
    results = page.locator("#changelist .results")
    overflow = results.evaluate("element => element.scrollWidth - element.clientWidth")
    context.close()
    assert overflow <= 1
