"""Second-factor helpers for the tests: an authenticator with a known key, and its codes.

The tests log staff in through the form (browser tests) or with ``client.login`` /
``client.force_login``; the conftest gives the latter a confirmed session (a test marked
``two_factor`` does without, and meets the rule as production does).
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

KEY = b"tests-authenticator-1".hex()


def authenticator(user, key: str = KEY) -> TOTPDevice:
    """``user``'s confirmed authenticator, made with the known test key when it has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", key=key)
    return device


def code_at(device: TOTPDevice, step_number: int) -> str:
    """The code of time step ``step_number`` (django-otp adds the device's drift itself
    when it checks; this is the step as counted)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = device.t0 + step_number * device.step
    return f"{totp.token():0{device.digits}d}"


def current_step(device: TOTPDevice) -> int:
    return int((time.time() - device.t0) // device.step)


def fresh_code(device: TOTPDevice) -> str:
    """A code the device accepts now and has not accepted before (codes cannot be used
    twice): the step it expects now (its clock drift included), or the next ones within
    its tolerance, waiting for the clock when every one of them was used."""
    device.refresh_from_db()
    while True:
        expected = current_step(device) + device.drift
        step_number = max(expected, device.last_t + 1)
        if step_number <= expected + device.tolerance:
            return code_at(device, step_number)
        time.sleep(1)


def confirm_with_code(page, username: str) -> None:
    """On the code page shown after the password, type a fresh authenticator code."""
    user = get_user_model().objects.get(username=username)
    page.wait_for_selector("#id_code")
    device = authenticator(user)
    if "/two-factor/set-up/" in page.url:
        # The account had no authenticator at the password step: it has one now.
        page.reload()
        page.wait_for_url("**/two-factor/code/**")
    page.fill("#id_code", fresh_code(device))
    page.locator("main form button[type=submit]").first.click()
