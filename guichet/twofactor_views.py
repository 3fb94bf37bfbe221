"""The staff's second-factor pages, under /<lang>/accounts/two-factor/ (guichet/twofactor.py)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guichet import twofactor
from guichet.qr import qr_svg


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=24,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "dir": "ltr",
                "autofocus": True,
            }
        ),
    )


WRONG_CODE = _("This code is not right, or was already used. Try the current code.")
TOO_FAST = _("Too many wrong codes in a row. Wait a few seconds, then try the next code.")


def _next_url(request: HttpRequest) -> str:
    """Where to go once confirmed: ``next`` when it is on this site, else the staff area."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _accepted(request: HttpRequest, form: CodeForm, check):
    """The device that ``check(user, code)`` says accepts the form's code, logged in to
    this session; or None, with the reason on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        device = check(request.user, form.cleaned_data["code"])
    except twofactor.Throttled:
        form.add_error("code", TOO_FAST)
        return None
    if device is None:
        form.add_error("code", WRONG_CODE)
        return None
    twofactor.log_in(request, device)
    return device


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator (or a recovery code) after the password."""
    user = request.user
    if twofactor.is_verified(user):
        return redirect(_next_url(request))
    if twofactor.authenticator(user) is None:
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    device = _accepted(request, form, twofactor.verify)
    if device is not None:
        if device.name == twofactor.RECOVERY_NAME:
            left = twofactor.recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You used a recovery code: %(count)d is left. Make new ones in "
                    "“Two-factor sign-in”.",
                    "You used a recovery code: %(count)d are left. Make new ones in "
                    "“Two-factor sign-in”.",
                    left,
                )
                % {"count": left},
            )
        return redirect(_next_url(request))
    return _private(
        render(
            request,
            "accounts/two_factor_verify.html",
            {"form": form, "next": _next_url(request)},
        )
    )


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the secret), then give a code."""
    user = request.user
    if twofactor.authenticator(user) is not None:
        if twofactor.is_verified(user):
            return redirect("accounts:two_factor")
        return redirect(
            resolve_url("accounts:two_factor_verify")
            + "?"
            + urlencode({"next": _next_url(request)})
        )
    device = twofactor.pending_authenticator(request)
    form = CodeForm(request.POST or None)
    if _accepted(request, form, partial(twofactor.confirm_setup, pending_id=device.pk)):
        request.session.pop(twofactor.PENDING_SESSION_KEY, None)
        request.session[twofactor.FRESH_CODES_SESSION_KEY] = twofactor.new_recovery_codes(user)
        twofactor.record(
            user,
            "authenticator set up",
            _("Guichet: a new authenticator for your account"),
            _(
                "An authenticator app was set up for two-factor sign-in to your account "
                "%(account)s; any earlier one no longer works."
            )
            % {"account": user.username},
        )
        messages.success(request, _("Your authenticator is set up."))
        return redirect(
            resolve_url("accounts:recovery_codes") + "?" + urlencode({"next": _next_url(request)})
        )
    return _private(
        render(
            request,
            "accounts/two_factor_setup.html",
            {
                "form": form,
                "next": _next_url(request),
                "qr_code": qr_svg(
                    device.config_url,
                    title=_("QR code to scan with your authenticator app"),
                    scale=4,
                ),
                "secret": twofactor.secret_text(device),
            },
        )
    )


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The account's second factor: when it was set up, recovery codes left."""
    user = request.user
    device = twofactor.authenticator(user)
    if device is None:
        return redirect("accounts:two_factor_setup")
    return _private(
        render(
            request,
            "accounts/two_factor.html",
            {"device": device, "codes_left": twofactor.recovery_codes_left(user)},
        )
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show new recovery codes, once; ask to make new ones otherwise."""
    user = request.user
    if twofactor.authenticator(user) is None:
        return redirect("accounts:two_factor_setup")
    codes = request.session.pop(twofactor.FRESH_CODES_SESSION_KEY, None)
    return _private(
        render(
            request,
            "accounts/recovery_codes.html",
            {
                "codes": codes,
                "codes_left": twofactor.recovery_codes_left(user),
                "next": _next_url(request),
            },
        )
    )


@require_POST
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the account's recovery codes (the old ones stop working) and show the new."""
    if twofactor.authenticator(request.user) is None:
        return redirect("accounts:two_factor_setup")
    request.session[twofactor.FRESH_CODES_SESSION_KEY] = twofactor.new_recovery_codes(request.user)
    return redirect("accounts:recovery_codes")
