"""Walk public, staff and admin pages with the real Content-Security-Policy: no violation."""

import pytest

from tests.twofactor import confirm_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "/fr/",
    "/ar/services/?q=avocat",
    "/fr/services/consultation-avocat/",
    "/fr/associations/",
    "/en/accounts/login/",
]
# Logging in passes through the second factor's set-up page (its QR code drawn in the
# page) and code page: the desk persona has no authenticator until then.
STAFF = [
    "/fr/accounts/two-factor/",
    "/ar/accounts/two-factor/recovery-codes/",
    "/fr/desk/",
    "/fr/desk/refer/",
    "/fr/desk/refer/?service=consultation-avocat",
    "/fr/stats/",
]
ADMIN = [
    "/admin/",
    "/admin/services/service/",
    "/admin/services/service/add/",
    "/admin/associations/association/",
    "/admin/referrals/accesslog/",
]


def test_no_csp_violation_on_any_page(
    browser, live_server, catalogue, make_referral, desk_user, municipal_admin, password
):
    referral = make_referral()
    context = browser.new_context()  # no CSP bypass here
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )

    def visit(paths):
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")

    def log_in(user):
        page.goto(f"{live_server.url}/en/accounts/login/")
        page.fill("[name=username]", user.username)
        page.fill("[name=password]", password)
        page.locator("main form button[type=submit]").click()
        confirm_with_code(page, user.username)
        page.wait_for_load_state("load")

    visit(PUBLIC)
    log_in(desk_user)
    visit(
        [
            *STAFF,
            f"/fr/desk/referrals/{referral.reference}/",
            f"/fr/desk/referrals/{referral.reference}/slip/",
        ]
    )
    page.goto(f"{live_server.url}/fr/desk/")
    page.locator("form.inline-form button.link-button").first.click()
    log_in(municipal_admin)
    visit([*ADMIN, f"/admin/services/service/{referral.service.pk}/change/"])
    context.close()
    assert violations == []
