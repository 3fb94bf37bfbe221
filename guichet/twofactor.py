"""Two-factor sign-in for staff (django-otp: a TOTP authenticator and recovery codes).

Every account that can see referral data or use the admin — desk staff, association
staff (a Membership), municipal admins, holders of "manage staff access", any Django
staff or superuser — must confirm its log-in with a code from an authenticator app, or
with one of its recovery codes. Until it does, ``RequireSecondFactor`` sends every
request but the set-up, the code page and log-out there: the admin, the staff area,
the slip and the statistics are out of reach with a password alone. There is no
setting that turns this off.

An account with no confirmed authenticator is sent to set one up (its QR code drawn in
the page, the secret as text), and it counts only once a code from it is accepted.
django-otp refuses a code at or before the time step of the last accepted one (so a
code cannot be replayed), deletes a recovery code once used, and slows down repeated
wrong codes (1, 2, 4… seconds). A holder of "manage staff access" resets another
account's second factor (referrals/staff_access.py): its devices are deleted and it
sets one up again at its next request.
"""

from __future__ import annotations

import logging
from base64 import b32encode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import Signal
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet import roles

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
# The session key under which fresh recovery codes wait to be shown, once.
FRESH_CODES_SESSION_KEY = "guichet_recovery_codes"
# The session key holding the id of the authenticator this session is setting up.
PENDING_SESSION_KEY = "guichet_pending_authenticator"

# The demo accounts' authenticator secret (services/demo.py, DEBUG only), published in the
# README so that a developer can log in. It is refused whenever DEBUG is off, so a demo
# account copied into production cannot be used with it.
DEMO_KEY = b"guichet-demo-totp-01".hex()

# Pages an account that has not confirmed its second factor may still open, by URL name:
# setting it up, giving a code, and leaving. The public API and the health check carry no
# session data and are answered as for anyone.
OPEN_VIEWS = {"accounts:two_factor_setup", "accounts:two_factor_verify", "accounts:logout"}
OPEN_NAMESPACES = {"hsds"}
OPEN_PATHS = ("/healthz",)


def required_for(user) -> bool:
    """Whether ``user`` must confirm its log-in with a second factor: any account that
    can see referral data, hand out access to it, or use the admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser or roles.is_staff_member(user):
        return True
    return roles.STAFF_ACCESS in roles._roles(user)["groups"]


def is_verified(user) -> bool:
    """Whether this request's log-in was confirmed with a second factor (OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def needs_verification(user) -> bool:
    return required_for(user) and not is_verified(user)


def authenticator(user) -> TOTPDevice | None:
    """``user``'s confirmed authenticator, if it has set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_authenticator(request) -> TOTPDevice:
    """The authenticator this session is setting up: the same secret until it is confirmed,
    shown to this session only.

    A set-up begun in any other session (another browser, or someone else who has the
    password) is deleted, and its secret with it: at most one set-up is live at a time,
    and a secret seen by one session never becomes the account's authenticator through
    another."""
    user = request.user
    with transaction.atomic():
        pending = TOTPDevice.objects.devices_for_user(user, confirmed=False)
        device = pending.filter(pk=request.session.get(PENDING_SESSION_KEY)).first()
        if device is None:
            pending.delete()
            device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
            request.session[PENDING_SESSION_KEY] = device.pk
    return device


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed: base32, in groups of 4."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def clean_code(value: str) -> str:
    """A code as typed, without the spaces and hyphens people add, in lower case."""
    return "".join(value.split()).replace("-", "").lower()


def give_demo_authenticator(user) -> None:
    """Give a demo account (DEBUG only) the published demo authenticator, unless it has
    set up one of its own."""
    if not settings.DEBUG:
        raise RuntimeError("The demo authenticator is for development only.")
    if authenticator(user) is None:
        TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, key=DEMO_KEY)


def demo_code() -> str:
    """The demo authenticator's current code (computed from the published key)."""
    device = TOTPDevice(key=DEMO_KEY)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def is_demo(device) -> bool:
    return isinstance(device, TOTPDevice) and device.key == DEMO_KEY


class Throttled(Exception):
    """Too many wrong codes in a row: django-otp refuses to check another one yet."""


def _check(device, code: str) -> bool:
    """Whether ``device`` accepts ``code``; wrong codes, throttled attempts and recovery
    codes spent are logged (at warning level: who and which kind of device, never the
    code)."""
    kind = "recovery code" if isinstance(device, StaticDevice) else "authenticator"
    username = device.user.username
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        logger.warning("Second factor: too many wrong codes for %s (%s), refused", username, kind)
        raise Throttled
    if is_demo(device) and not settings.DEBUG:
        logger.warning("Refused the demo authenticator of %s: DEBUG is off", username)
        return False
    if not device.verify_token(code):
        logger.warning("Second factor: a wrong code for %s (%s)", username, kind)
        return False
    if kind == "recovery code":
        logger.warning(
            "Second factor: %s used a recovery code, %d left",
            username,
            device.token_set.count(),
        )
    return True


def verify(user, code: str, *, recovery: bool = True) -> TOTPDevice | StaticDevice | None:
    """The confirmed device of ``user`` that accepts ``code``, or None; raise
    ``Throttled`` when it may not be checked yet.

    Six digits are checked against the authenticator, anything else against the
    recovery codes (unless ``recovery`` is False: then only the authenticator counts): a
    code is spent on one device only. The device row is locked while it is checked, so
    two requests cannot both spend the same code.
    """
    code = clean_code(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    if model is StaticDevice and not recovery:
        return None
    with transaction.atomic():
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None or not _check(device, code):
            return None
    return device


def log_in(request, device) -> None:
    """Mark this session as confirmed with ``device`` (a new session key, as at log-in)."""
    request.session.cycle_key()
    otp_login(request, device)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace ``user``'s recovery codes with ``RECOVERY_CODE_COUNT`` new ones; return them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_setup(user, code: str, pending_id) -> TOTPDevice | None:
    """Confirm the pending authenticator ``pending_id`` of ``user`` (the one this session
    set up) when it accepts ``code``; it then replaces any other. Return the confirmed
    device, or None (raise ``Throttled`` when too fast)."""
    if pending_id is None:
        return None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.devices_for_user(user, confirmed=False)
            .select_for_update()
            .filter(pk=pending_id)
            .first()
        )
        if device is None or not _check(device, clean_code(code)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def tell_owner(account, subject, message) -> None:
    """E-mail ``account``'s owner (when it has an address) about a change to its second
    factor, with what to do if it was not them (in the active language)."""
    if not account.email:
        return
    body = [
        str(message),
        "",
        gettext(
            "If this was not you, tell a holder of “manage staff access” at once: "
            "someone else may know your password."
        ),
    ]
    send_mail(str(subject), "\n".join(body), None, [account.email])


# Sent when an account's owner changes its second factor (``account``, ``what``: the
# change in plain words, no secret). The access log lives in ``referrals``, above this
# module: it listens (referrals/apps.py) and writes the row.
second_factor_changed = Signal()


def record(account, what: str, subject, message) -> None:
    """Write a change to ``account``'s second factor, made by its owner, to the access
    log (``what`` in plain words, no secret) and e-mail the owner."""
    second_factor_changed.send(sender=record, account=account, what=what)
    tell_owner(account, subject, message)


def remove_devices(user) -> int:
    """Delete every second-factor device of ``user``; return how many there were."""
    count = 0
    for model in (TOTPDevice, StaticDevice):
        deleted, _ = model.objects.filter(user=user).delete()
        count += deleted
    return count


def has_devices(user) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user).exists()
    )


class RequireSecondFactor:
    """Send an account that must confirm its log-in with a second factor, and has not,
    to set one up or to give a code, whatever page it asks for.

    After django_otp's OTPMiddleware. A page needs nothing to be protected: every URL
    but ``OPEN_VIEWS`` is, the admin included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(OPEN_PATHS):
            return None
        match = request.resolver_match
        if match is not None and (
            match.view_name in OPEN_VIEWS or set(match.namespaces) & OPEN_NAMESPACES
        ):
            return None
        user = getattr(request, "user", None)
        if user is None or not needs_verification(user):
            return None
        step = "two_factor_verify" if authenticator(user) else "two_factor_setup"
        target = reverse(f"accounts:{step}")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        response = redirect(target)
        response["Cache-Control"] = "no-store, private"
        return response
