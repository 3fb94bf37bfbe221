"""Right answers: only a lost database connection is "database down" (503, Retry-After);
a value the database refuses is the request's fault (400); junk in admin filters is a
400 or ignored, never a 500."""

import pytest
from django.db import connection
from django.test import Client

from referrals.models import AccessLog


@pytest.fixture
def client_no_raise():
    return Client(raise_request_exception=False)


@pytest.mark.django_db(transaction=True)
def test_a_lost_connection_answers_503_with_retry_after(client_no_raise, monkeypatch):
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "HOST", "/nonexistent-socket-folder")
    response = client_no_raise.get("/fr/services/")
    monkeypatch.undo()
    connection.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"


@pytest.mark.django_db(transaction=True)
def test_a_lost_connection_answers_json_on_the_api(client_no_raise, monkeypatch):
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "HOST", "/nonexistent-socket-folder")
    response = client_no_raise.get("/api/hsds/services")
    monkeypatch.undo()
    connection.close()
    assert response.status_code == 503
    assert response.json()["status"] == 503 and response["Retry-After"] == "60"


def test_a_300_character_username_is_not_a_database_outage(client_no_raise, db):
    response = client_no_raise.post(
        "/fr/accounts/login/", {"username": "u" * 300, "password": "whatever-password"}
    )
    assert response.status_code in (200, 400)


def test_a_value_the_database_refuses_answers_400(client_no_raise, db, monkeypatch):
    from django.db import DataError

    def refuse(*args, **kwargs):
        raise DataError("value too long for type character varying(150)")

    monkeypatch.setattr("services.views.render", refuse)
    response = client_no_raise.get("/fr/")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode() or "Requête" in response.content.decode()


def test_another_database_error_is_a_500_not_an_outage(client_no_raise, db, monkeypatch):
    from django.db import ProgrammingError

    def broken(*args, **kwargs):
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr("services.views.render", broken)
    response = client_no_raise.get("/fr/")
    assert response.status_code == 500 and "Retry-After" not in response


ADMIN_LISTS = [
    "/admin/services/service/",
    "/admin/associations/association/",
    "/admin/referrals/accesslog/",
    "/admin/auth/user/",
]
JUNK = [
    {"q": "a\x00b"},
    {"status__exact": "\x00"},
    {"\x00": "1"},
    {"id__exact": "99999999999999999999999"},
    {"o": "abc.\x00"},
    {"p": "-1"},
    {"q": "x" * 5000},
    {"last_verified_on__gte": "2026-13-45"},
]


@pytest.mark.parametrize("params", JUNK, ids=range(len(JUNK)))
@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_junk_in_admin_filters_is_a_400_or_ignored(client_no_raise, municipal_admin, url, params):
    client_no_raise.force_login(municipal_admin)
    response = client_no_raise.get(url, params)
    assert response.status_code in (200, 302, 400)


def test_a_nul_byte_in_an_admin_filter_is_a_400(client_no_raise, municipal_admin):
    client_no_raise.force_login(municipal_admin)
    assert client_no_raise.get("/admin/services/service/", {"q": "a\x00"}).status_code == 400


def test_a_partner_probing_another_associations_referral_is_logged(client, other_partner, referral):
    client.force_login(other_partner)
    assert client.get(f"/fr/desk/referrals/{referral.reference}/").status_code == 404
    entry = AccessLog.objects.get(action=AccessLog.Action.REFUSED)
    assert entry.user == other_partner
    assert entry.detail == f"404 GET /fr/desk/referrals/{referral.reference}/"


def test_a_partner_asking_for_a_slip_it_may_not_print_is_logged(client, partner_user, referral):
    client.force_login(partner_user)
    response = client.get(f"/fr/desk/referrals/{referral.reference}/slip/")
    assert response.status_code == 403
    assert AccessLog.objects.filter(
        action=AccessLog.Action.REFUSED, user=partner_user, detail__startswith="403 GET"
    ).exists()


def test_an_account_without_a_role_knocking_is_logged(client, plain_user):
    client.force_login(plain_user)
    assert client.get("/fr/desk/").status_code == 403
    assert AccessLog.objects.filter(action=AccessLog.Action.REFUSED, user=plain_user).exists()
