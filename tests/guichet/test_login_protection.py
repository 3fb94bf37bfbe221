"""No lock-out by strangers: failed log-ins count per username *and* client address; spread
attempts cool the username down for strange addresses only; the client address comes
from X-Forwarded-For only through our own proxies."""

import os
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from guichet.login import client_ip

PROXY = "127.0.0.1"  # a trusted proxy by default (TRUSTED_PROXIES)
# 10,000 in the hostile-input list; the suite runs fewer to spare shared machines
# (about 17 ms each). LOGIN_FLOOD_ATTEMPTS=10000 runs the full flood.
ATTEMPTS = int(os.environ.get("LOGIN_FLOOD_ATTEMPTS", "1000"))


def attempt(username, password, forwarded=None, peer=PROXY):
    client = Client(REMOTE_ADDR=peer, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    return client.post("/en/accounts/login/", {"username": username, "password": password})


def test_five_failures_lock_only_the_place_they_came_from(desk_user, password):
    for _ in range(5):
        attempt(desk_user.username, "wrong-password", forwarded="203.0.113.7")
    assert attempt(desk_user.username, password, forwarded="203.0.113.7").status_code == 429
    assert attempt(desk_user.username, password, forwarded="198.51.100.20").status_code == 302


def test_four_failures_do_not_lock(desk_user, password):
    for _ in range(4):
        attempt(desk_user.username, "wrong-password", forwarded="203.0.113.7")
    assert attempt(desk_user.username, password, forwarded="203.0.113.7").status_code == 302


def test_a_forged_forwarded_header_from_a_stranger_is_ignored(desk_user, password):
    for number in range(5):
        attempt(
            desk_user.username, "wrong-password", forwarded=f"10.1.1.{number}", peer="203.0.113.9"
        )
    assert attempt(desk_user.username, password, peer="203.0.113.9").status_code == 429


def test_the_lock_message_does_not_reveal_whether_the_account_exists(desk_user):
    for _ in range(6):
        known = attempt(desk_user.username, "wrong-password", forwarded="203.0.113.7")
        unknown = attempt("nobody-at-all", "wrong-password", forwarded="203.0.113.7")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


@override_settings(LOGIN_SPREAD_LIMIT=20)
def test_rotating_addresses_cool_the_username_down_but_not_at_its_usual_address(
    desk_user, password
):
    assert attempt(desk_user.username, password, forwarded="198.51.100.20").status_code == 302
    for number in range(30):  # three tries from each of ten addresses: none locked alone
        attempt(desk_user.username, "wrong-password", forwarded=f"203.0.113.{number // 3}")
    # From a new address, even the right password waits...
    assert attempt(desk_user.username, password, forwarded="192.0.2.50").status_code == 429
    # ...while the real user at their usual address logs in.
    assert attempt(desk_user.username, password, forwarded="198.51.100.20").status_code == 302


def test_the_cool_down_ends_by_itself(desk_user, password, settings):
    settings.LOGIN_SPREAD_LIMIT = 10
    for number in range(12):
        attempt(desk_user.username, "wrong-password", forwarded=f"203.0.113.{number}")
    assert attempt(desk_user.username, password, forwarded="192.0.2.50").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(desk_user.username, password, forwarded="192.0.2.50").status_code == 302


def test_a_flood_of_attempts_over_rotating_addresses_stays_bounded(desk_user, password):
    """A stranger's flood (in-process, no network) never gets in, never fails, and the real
    user still logs in from their usual address."""
    factory = RequestFactory()
    assert attempt(desk_user.username, password, forwarded="198.51.100.20").status_code == 302
    for number in range(ATTEMPTS):
        request = factory.post(
            "/en/accounts/login/",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"10.{number // 65536}.{number // 256 % 256}.{number % 256}",
        )
        assert (
            authenticate(request, username=desk_user.username, password=f"guess-{number}") is None
        )
    # Once the username cools down, refused attempts write nothing: the table stays small.
    assert AccessAttempt.objects.filter(username=desk_user.username).count() <= 25
    assert attempt(desk_user.username, password, forwarded="198.51.100.20").status_code == 302


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.9", "10.0.0.1", "203.0.113.9"),  # a stranger's header is not believed
        (PROXY, "198.51.100.1", "198.51.100.1"),  # our proxy says who connected to it
        (PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own part is ignored
        (PROXY, "garbage", PROXY),
        (PROXY, "", PROXY),
    ],
)
def test_the_client_address_comes_only_from_trusted_proxies(peer, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_300_character_username_is_a_plain_failed_log_in(db):
    response = attempt("u" * 300 + "\x00", "whatever-password", forwarded="203.0.113.7")
    assert response.status_code == 200
    assert AccessLog.objects.count() == 0
