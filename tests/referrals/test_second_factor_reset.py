"""Resetting another account's second factor: holders of "manage staff access" only, never
their own; written to the access log and e-mailed to the holders like a grant."""

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet import twofactor
from referrals.models import AccessLog
from tests import twofactor as helpers


def reset_url(account) -> str:
    return f"/admin/auth/user/{account.pk}/second-factor/reset/"


@pytest.fixture
def enrolled_desk(desk_user):
    helpers.authenticator(desk_user)
    twofactor.new_recovery_codes(desk_user)
    return desk_user


def test_a_holder_resets_another_account_s_second_factor(client, access_manager, enrolled_desk):
    client.force_login(access_manager)
    assert client.get(reset_url(enrolled_desk)).status_code == 200
    response = client.post(reset_url(enrolled_desk))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled_desk).exists()
    assert not StaticToken.objects.filter(device__user=enrolled_desk).exists()


def test_the_reset_is_in_the_access_log_and_mailed_to_the_holders(
    client, access_manager, enrolled_desk
):
    client.force_login(access_manager)
    client.post(reset_url(enrolled_desk))
    row = AccessLog.objects.get(action=AccessLog.Action.REVOKE)
    assert (row.username, row.detail) == (access_manager.username, "desk-amina: second factor")
    assert [message.to for message in mail.outbox] == [
        [access_manager.email],
        [enrolled_desk.email],
    ]
    assert "- second factor" in mail.outbox[0].body
    assert "access-salma" in mail.outbox[1].body and "desk-amina" in mail.outbox[1].body


def test_the_reset_account_s_open_session_must_set_up_again(client, access_manager, enrolled_desk):
    desk_browser = Client()
    desk_browser.force_login(enrolled_desk)
    assert desk_browser.get("/fr/desk/").status_code == 200
    client.force_login(access_manager)
    client.post(reset_url(enrolled_desk))
    response = desk_browser.get("/fr/desk/")
    assert response["Location"].startswith("/fr/accounts/two-factor/set-up/")


def test_the_account_page_offers_the_reset_to_a_holder_only(
    client, access_manager, municipal_admin, enrolled_desk
):
    client.force_login(access_manager)
    assert (
        reset_url(enrolled_desk)
        in client.get(f"/admin/auth/user/{enrolled_desk.pk}/change/").content.decode()
    )
    assert (
        reset_url(access_manager)
        not in client.get(f"/admin/auth/user/{access_manager.pk}/change/").content.decode()
    )


def test_nobody_resets_their_own_second_factor_even_by_a_forged_post(client, access_manager):
    client.force_login(access_manager)
    device = helpers.authenticator(access_manager)
    assert client.get(reset_url(access_manager)).status_code == 403
    assert client.post(reset_url(access_manager)).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVOKE).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["municipal_admin", "desk_user", "partner_user"])
def test_an_account_without_the_permission_cannot_reset(request, client, enrolled_desk, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(reset_url(enrolled_desk))
    # The admin sends accounts without staff status to its log-in page; others get 403.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
    assert TOTPDevice.objects.filter(user=enrolled_desk).exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVOKE).exists()


@pytest.mark.parametrize("pk", ["999999", "abc", "1%00"])
def test_an_unknown_account_answers_404(client, access_manager, pk):
    client.force_login(access_manager)
    assert client.post(f"/admin/auth/user/{pk}/second-factor/reset/").status_code in (400, 404)


@pytest.mark.two_factor
def test_a_holder_must_have_given_their_own_code_first(client, access_manager, enrolled_desk):
    helpers.authenticator(access_manager)
    client.post(
        "/fr/accounts/login/", {"username": access_manager.username, "password": helpers_password()}
    )
    response = client.post(reset_url(enrolled_desk))
    assert "/accounts/two-factor/code/" in response["Location"]
    assert TOTPDevice.objects.filter(user=enrolled_desk).exists()


def helpers_password():
    from tests.conftest import PASSWORD

    return PASSWORD


@pytest.fixture
def superuser(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    helpers.authenticator(user)
    return user


@pytest.fixture
def other_holder(django_user_model):
    from guichet import roles
    from tests.conftest import _user

    user = _user(django_user_model, "access-karim", groups=[roles.STAFF_ACCESS], is_staff=True)
    helpers.authenticator(user)
    return user


@pytest.mark.parametrize("target", ["superuser", "other_holder"])
def test_a_holder_cannot_reset_a_superuser_or_another_holder(
    request, client, access_manager, target
):
    account = request.getfixturevalue(target)
    client.force_login(access_manager)
    assert client.get(reset_url(account)).status_code == 403
    assert client.post(reset_url(account)).status_code == 403
    assert (
        reset_url(account)
        not in client.get(f"/admin/auth/user/{account.pk}/change/").content.decode()
    )
    assert TOTPDevice.objects.filter(user=account).exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVOKE).exists()
    assert mail.outbox == []


def test_a_superuser_resets_a_holder(client, superuser, other_holder):
    client.force_login(superuser)
    assert client.post(reset_url(other_holder)).status_code == 302
    assert not TOTPDevice.objects.filter(user=other_holder).exists()
    assert AccessLog.objects.filter(action=AccessLog.Action.REVOKE).count() == 1


def test_a_reset_with_nothing_to_remove_leaves_no_trace(client, access_manager, desk_user):
    client.force_login(access_manager)
    assert client.post(reset_url(desk_user)).status_code == 302
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVOKE).exists()
    assert mail.outbox == []
