"""Setting up two-factor sign-in, then logging in with a code, in a real browser."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests import twofactor as helpers

pytestmark = [pytest.mark.browser, pytest.mark.two_factor]


def code_from_page_secret(secret: str) -> str:
    """What an authenticator app given the key typed from the page shows now."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_desk_member_sets_up_an_authenticator_then_logs_in_with_a_code(
    page, live_server, desk_user, password, language, assert_accessible
):
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("[name=username]", desk_user.username)
    page.fill("[name=password]", password)
    page.locator("main form button[type=submit]").click()

    # Sent to set up the second factor: the QR code is drawn in the page.
    expect(page).to_have_url(re.compile(rf"/{language}/accounts/two-factor/set-up/"))
    expect(page.locator(".setup-qr svg[role=img]")).to_be_visible()
    assert_accessible(page)
    secret = page.locator(".secret code").inner_text()
    page.fill("#id_code", "000000")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".errorlist")).to_be_visible()
    assert_accessible(page)
    page.wait_for_timeout(1100)  # django-otp's back-off after a wrong code: one second
    page.fill("#id_code", code_from_page_secret(secret))
    page.locator("main form button[type=submit]").first.click()

    # The recovery codes, once.
    expect(page).to_have_url(re.compile(rf"/{language}/accounts/two-factor/recovery-codes/"))
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.locator("main a.button").click()
    expect(page).to_have_url(re.compile(rf"/{language}/desk/$"))

    # Next time: password, then a code.
    page.locator("header form button[type=submit]").click()
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("[name=username]", desk_user.username)
    page.fill("[name=password]", password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/accounts/two-factor/code/"))
    assert_accessible(page)
    helpers.confirm_with_code(page, desk_user.username)
    expect(page).to_have_url(re.compile(rf"/{language}/desk/$"))
    assert_accessible(page)
