"""Log-in protection that a stranger cannot turn against the staff.

django-axes counts failed log-ins per username *and* client address together, so five
wrong passwords for ``desk`` from one place lock only that place out of that account:
the desk, at its usual address, keeps working. Attempts on one username spread over
many addresses (the way to get around a per-address limit) put that username in a
cool-down for every address it has not logged in from before, measured in minutes and
lifted by itself. Lock-outs are listed in the admin, where a holder of "manage staff
access" lifts them (guichet/admin.py).

The client address is the connecting peer's, or, only when that peer is one of our own
proxies (``TRUSTED_PROXIES``), the last address that peer appended to
``X-Forwarded-For``: a header a client writes itself is never believed.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

USERNAME_MAX_LENGTH = 150  # django.contrib.auth's


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXY_NETWORKS)


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer's, or what our own proxies say it is.

    Walking ``X-Forwarded-For`` from the right, each of our proxies vouches for the
    address before it; the first address that is not one of our proxies is the client.
    Anything to its left was written by the client and is ignored.
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return "0.0.0.0"  # noqa: S104  (no address at all: one shared bucket)  # nosec B104
    if not _trusted(peer):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break  # a garbled hop: trust nothing further left
        if not _trusted(address):
            return str(address)
    return str(peer)


def attempted_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username as typed, cut to what an account can have and without NUL bytes:
    a 300-character or binary "username" is a failed log-in, not a database error."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return str(value or "").replace("\x00", "")[:USERNAME_MAX_LENGTH]


def spread_failures(username: str, since) -> int:
    """Failed log-ins for ``username`` since ``since``, from every address together."""
    return (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )


def usual_address(username: str, ip_address: str) -> bool:
    """Whether ``username`` has logged in successfully from ``ip_address`` lately."""
    since = timezone.now() - timedelta(days=settings.LOGIN_USUAL_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=ip_address, attempt_time__gte=since
    ).exists()


class LoginHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus the per-username cool-down for spread attempts."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return self.is_cooling_down(request, credentials)

    def is_cooling_down(self, request, credentials: dict | None = None) -> bool:
        username = get_client_username(request, credentials)
        if not username:
            return False
        since = timezone.now() - settings.LOGIN_SPREAD_WINDOW
        if spread_failures(username, since) < settings.LOGIN_SPREAD_LIMIT:
            return False
        return not usual_address(username, client_ip(request))
