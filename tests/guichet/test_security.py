"""Production readiness: deploy checks, headers, CSP, login protection, sessions, errors."""

import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_deploy_check_passes_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-a-real-production-secret-" + "Zq8" * 10,
        ALLOWED_HOSTS="guichet.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ["/fr/", "/fr/services/", "/fr/accounts/login/", "/admin/login/"])
def test_security_headers_on_every_kind_of_page(client, catalogue, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/fr/", "/fr/services/consultation-avocat/", "/admin/login/"])
def test_content_security_policy_allows_no_inline_script(client, catalogue, path):
    policy = client.get(path)["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script and "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in policy


def test_content_security_policy_on_staff_pages(client, desk_user):
    client.force_login(desk_user)
    assert "script-src 'self'" in client.get("/fr/desk/")["Content-Security-Policy"]


# --- Login protection -------------------------------------------------------------


def attempt(username, password, address="10.0.0.1", forwarded=None):
    client = Client(
        REMOTE_ADDR=address, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    )
    return client.post("/en/accounts/login/", {"username": username, "password": password})


# Lock-outs: tests/guichet/test_login_protection.py


def test_a_wrong_password_message_does_not_reveal_whether_the_account_exists(desk_user):
    def page(username):
        html = attempt(username, "wrong-password").content.decode().replace(username, "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert page(desk_user.username) == page("nobody-at-all")


# --- Sessions -----------------------------------------------------------------------


def test_a_session_idle_for_30_minutes_ends(client, desk_user):
    client.force_login(desk_user)
    client.get("/en/desk/")
    session = client.session
    session["guichet_seen"] = time.time() - 31 * 60
    session.save()
    assert client.get("/en/desk/").status_code == 302


def test_a_session_ends_after_12_hours_however_active(client, desk_user):
    client.force_login(desk_user)
    client.get("/en/desk/")
    session = client.session
    session["guichet_started"] = time.time() - 12 * 3600 - 60
    session.save()
    assert client.get("/en/desk/").status_code == 302


def test_logout_deletes_the_session_on_the_server(client, desk_user):
    client.force_login(desk_user)
    key = client.session.session_key
    client.post("/en/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_deactivating_a_user_ends_their_sessions(client, desk_user):
    client.force_login(desk_user)
    desk_user.is_active = False
    desk_user.save()
    assert client.get("/en/desk/").status_code == 302


@pytest.mark.parametrize("weak", ["short-pass", "password1234", "123456789012"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_uncommon_password_is_accepted():
    validate_password("tangier harbour ferry at dawn")


# --- Error pages ----------------------------------------------------------------------


def test_403_is_styled_and_translated(client, partner_user):
    client.force_login(partner_user)
    response = client.get("/ar/desk/refer/")
    assert response.status_code == 403 and '<html lang="ar" dir="rtl">' in response.content.decode()


def test_400_is_styled(client, db):
    response = client.get("/fr/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400 and 'class="skip-link"' in response.content.decode()


def test_500_shows_no_traceback(client, db, monkeypatch):
    client.raise_request_exception = False
    monkeypatch.setattr(
        "services.views.render",
        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("secret detail")),
    )
    response = client.get("/fr/")
    body = response.content.decode()
    assert response.status_code == 500 and "secret detail" not in body and "Traceback" not in body


def test_a_database_outage_gives_a_friendly_503(client, db, monkeypatch):
    monkeypatch.setattr(
        "services.views.render",
        lambda *a, **k: (_ for _ in ()).throw(OperationalError("could not connect to server")),
    )
    client.raise_request_exception = False
    response = client.get("/fr/")
    assert response.status_code == 503 and "try again in a few minutes" in response.content.decode()
    assert response["Retry-After"] == "60"


# --- CSRF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/en/accounts/login/",
        "/en/accounts/logout/",
        "/en/desk/refer/",
        "/en/desk/referrals/R-AAAAAA/status/",
        "/en/desk/referrals/R-AAAAAA/follow-up/",
        "/admin/services/service/add/",
    ],
)
def test_every_post_needs_a_valid_csrf_token(desk_user, municipal_admin, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(municipal_admin if path.startswith("/admin/") else desk_user)
    response = client.post(path, {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert 'id="csrf-failure"' in response.content.decode()
