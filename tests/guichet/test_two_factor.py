"""Two-factor sign-in for staff (guichet/twofactor.py), with the rule enforced: these tests
log in with the password only and give the code themselves."""

import logging
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet import twofactor, twofactor_views
from referrals.models import AccessLog
from tests import twofactor as helpers
from tests.referrals.test_access_matrix import GET_EXPECTED, url_for

pytestmark = pytest.mark.two_factor

OPEN = {"accounts:two_factor_setup", "accounts:two_factor_verify", "accounts:logout"}


def log_in(client, user, password):
    response = client.post("/fr/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return response


def give_code(client, code, url="/fr/accounts/two-factor/code/", **extra):
    return client.post(url, {"code": code, **extra})


def unthrottle(device):
    """Clear django-otp's back-off after a wrong code, as waiting would."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


@pytest.fixture
def enrolled_desk(desk_user):
    helpers.authenticator(desk_user)
    return desk_user


# --- Who must, and what stays out of reach -------------------------------------


def test_every_role_needs_a_second_factor(
    desk_user, partner_user, municipal_admin, access_manager, plain_user, django_user_model
):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    assert [
        twofactor.required_for(user)
        for user in (desk_user, partner_user, municipal_admin, access_manager, superuser)
    ] == [True] * 5
    assert twofactor.required_for(plain_user) is False


def test_after_the_password_an_account_without_authenticator_is_sent_to_set_one_up(
    client, desk_user, password
):
    log_in(client, desk_user, password)
    response = client.get("/fr/desk/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/two-factor/set-up/?next=%2Ffr%2Fdesk%2F"


def test_after_the_password_an_enrolled_account_is_asked_for_a_code(
    client, enrolled_desk, password
):
    log_in(client, enrolled_desk, password)
    response = client.get("/fr/desk/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/fr/accounts/two-factor/code/")
    assert "id_code" in response.content.decode()


PERSONAS = ["desk", "partner_a", "partner_b", "admin"]


@pytest.fixture
def personas(desk_user, partner_user, other_partner, municipal_admin):
    return {
        "desk": desk_user,
        "partner_a": partner_user,
        "partner_b": other_partner,
        "admin": municipal_admin,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_staff_url_answers_before_the_second_factor(
    client, personas, referral, password, persona
):
    user = personas[persona]
    helpers.authenticator(user)
    log_in(client, user, password)
    answered = []
    for name in sorted(set(GET_EXPECTED) - OPEN):
        for method in (client.get, client.post):
            response = method(url_for(name, referral))
            sent_for_code = response.status_code == 302 and response["Location"].startswith(
                "/fr/accounts/two-factor/code/"
            )
            if response.status_code != 405 and not sent_for_code:
                answered.append((name, method.__name__, response.status_code))
    assert answered == []


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/referrals/accesslog/",
        "/admin/auth/user/",
        "/admin/services/service/",
        "/fr/",
        "/en/stats/",
        "/ar/desk/referrals/R-ZZZZZZ/slip/",
    ],
)
def test_the_admin_and_every_page_wait_for_the_code(client, municipal_admin, password, path):
    helpers.authenticator(municipal_admin)
    log_in(client, municipal_admin, password)
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/two-factor/code/" in response["Location"]


def test_the_admin_s_own_login_form_does_not_skip_the_code(client, municipal_admin, password):
    helpers.authenticator(municipal_admin)
    client.post(
        "/admin/login/?next=/admin/",
        {"username": municipal_admin.username, "password": password, "next": "/admin/"},
    )
    response = client.get("/admin/")
    assert "/accounts/two-factor/code/" in response["Location"]


def test_an_account_without_a_role_is_not_asked(client, plain_user, password):
    log_in(client, plain_user, password)
    assert client.get("/fr/").status_code == 200


# --- Enrolment -----------------------------------------------------------------


def test_setup_shows_the_qr_code_in_the_page_and_the_secret_as_text(
    client, desk_user, password, assert_valid_html
):
    log_in(client, desk_user, password)
    response = client.get("/ar/accounts/two-factor/set-up/")
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=desk_user)
    assert '<svg role="img"' in html and "<img" not in html
    assert twofactor.secret_text(device) in html
    assert device.confirmed is False
    assert_valid_html(response)


def test_the_secret_stays_the_same_until_confirmed(client, desk_user, password):
    log_in(client, desk_user, password)
    client.get("/fr/accounts/two-factor/set-up/")
    client.get("/fr/accounts/two-factor/set-up/")
    assert TOTPDevice.objects.filter(user=desk_user).count() == 1


def test_an_unconfirmed_authenticator_does_not_count(client, desk_user, password):
    log_in(client, desk_user, password)
    client.get("/fr/accounts/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=desk_user)
    # Its code, given on the code page rather than the set-up page, is not enough.
    give_code(client, helpers.fresh_code(device))
    assert client.get("/fr/desk/").status_code == 302


def test_a_wrong_code_does_not_confirm_the_authenticator(client, desk_user, password):
    log_in(client, desk_user, password)
    client.get("/fr/accounts/two-factor/set-up/")
    response = give_code(client, "000000", url="/fr/accounts/two-factor/set-up/")
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=desk_user).confirmed is False
    assert client.get("/fr/desk/").status_code == 302


def test_the_right_code_confirms_it_and_shows_recovery_codes_once(client, desk_user, password):
    log_in(client, desk_user, password)
    client.get("/fr/accounts/two-factor/set-up/?next=/fr/desk/")
    device = TOTPDevice.objects.get(user=desk_user)
    response = give_code(
        client,
        helpers.fresh_code(device),
        url="/fr/accounts/two-factor/set-up/",
        next="/fr/desk/",
    )
    assert response["Location"] == "/fr/accounts/two-factor/recovery-codes/?next=%2Ffr%2Fdesk%2F"
    first = client.get(response["Location"]).content.decode()
    codes = set(StaticToken.objects.filter(device__user=desk_user).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in first for code in codes)
    again = client.get("/fr/accounts/two-factor/recovery-codes/").content.decode()
    assert not any(code in again for code in codes)
    assert client.get("/fr/desk/").status_code == 200


def test_an_enrolled_account_cannot_set_up_another_authenticator_unverified(
    client, enrolled_desk, password
):
    log_in(client, enrolled_desk, password)
    response = client.get("/fr/accounts/two-factor/set-up/?next=/fr/stats/")
    assert response["Location"] == "/fr/accounts/two-factor/code/?next=%2Ffr%2Fstats%2F"
    response = give_code(client, "123456", url="/fr/accounts/two-factor/set-up/")
    assert TOTPDevice.objects.filter(user=enrolled_desk).count() == 1


# --- Codes -----------------------------------------------------------------------


def test_a_code_from_the_authenticator_opens_the_staff_area(client, enrolled_desk, password):
    log_in(client, enrolled_desk, password)
    device = helpers.authenticator(enrolled_desk)
    response = give_code(client, helpers.fresh_code(device), next="/fr/desk/")
    assert response["Location"] == "/fr/desk/"
    assert client.get("/fr/desk/").status_code == 200


def test_a_code_with_spaces_is_accepted(client, enrolled_desk, password):
    log_in(client, enrolled_desk, password)
    code = helpers.fresh_code(helpers.authenticator(enrolled_desk))
    give_code(client, f" {code[:3]} {code[3:]} ")
    assert client.get("/fr/desk/").status_code == 200


@pytest.mark.parametrize(
    "code", ["000000", "12345", "abcdef", "1" * 24, "' OR 1=1 --", "١٢٣٤٥٦", "12\x003456"]
)
def test_a_wrong_or_junk_code_is_refused_with_a_message(client, enrolled_desk, password, code):
    log_in(client, enrolled_desk, password)
    response = give_code(client, code)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert client.get("/fr/desk/").status_code == 302


def test_a_replayed_code_is_refused(client, enrolled_desk, password):
    device = helpers.authenticator(enrolled_desk)
    code = helpers.fresh_code(device)
    log_in(client, enrolled_desk, password)
    give_code(client, code)
    assert client.get("/fr/desk/").status_code == 200
    client.post("/fr/accounts/logout/")
    log_in(client, enrolled_desk, password)
    response = give_code(client, code)
    assert "errorlist" in response.content.decode()
    assert client.get("/fr/desk/").status_code == 302


def test_an_older_code_than_the_last_accepted_is_refused(client, enrolled_desk, password):
    device = helpers.authenticator(enrolled_desk)
    now = helpers.current_step(device)
    log_in(client, enrolled_desk, password)
    give_code(client, helpers.code_at(device, now))
    client.post("/fr/accounts/logout/")
    log_in(client, enrolled_desk, password)
    give_code(client, helpers.code_at(device, now - 1))
    assert client.get("/fr/desk/").status_code == 302


def test_repeated_wrong_codes_slow_down_even_the_right_one(client, enrolled_desk, password):
    device = helpers.authenticator(enrolled_desk)
    log_in(client, enrolled_desk, password)
    give_code(client, "000000")
    response = give_code(client, helpers.fresh_code(device))
    with translation.override("fr"):
        assert str(twofactor_views.TOO_FAST) in response.content.decode()
    assert client.get("/fr/desk/").status_code == 302


def test_a_recovery_code_works_once(client, enrolled_desk, password):
    codes = twofactor.new_recovery_codes(enrolled_desk)
    log_in(client, enrolled_desk, password)
    give_code(client, codes[0].upper())
    assert client.get("/fr/desk/").status_code == 200
    client.post("/fr/accounts/logout/")
    log_in(client, enrolled_desk, password)
    response = give_code(client, codes[0])
    assert "errorlist" in response.content.decode()
    assert client.get("/fr/desk/").status_code == 302
    assert twofactor.recovery_codes_left(enrolled_desk) == 9


def test_new_recovery_codes_replace_the_old_ones(client, enrolled_desk, password):
    old = twofactor.new_recovery_codes(enrolled_desk)
    log_in(client, enrolled_desk, password)
    give_code(client, helpers.fresh_code(helpers.authenticator(enrolled_desk)))
    response = client.post(
        "/fr/accounts/two-factor/recovery-codes/new/",
        {"code": helpers.fresh_code(helpers.authenticator(enrolled_desk))},
        follow=True,
    )
    new = set(
        StaticToken.objects.filter(device__user=enrolled_desk).values_list("token", flat=True)
    )
    assert new.isdisjoint(old) and len(new) == 10
    assert all(code in response.content.decode() for code in new)


def test_recovery_codes_cannot_be_made_before_the_second_factor(client, enrolled_desk, password):
    old = set(twofactor.new_recovery_codes(enrolled_desk))
    log_in(client, enrolled_desk, password)
    response = client.post("/fr/accounts/two-factor/recovery-codes/new/")
    assert "/two-factor/code/" in response["Location"]
    assert (
        set(StaticToken.objects.filter(device__user=enrolled_desk).values_list("token", flat=True))
        == old
    )


@pytest.mark.parametrize(
    "target", ["https://evil.example.org/", "//evil.example.org/", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(client, enrolled_desk, password, target):
    log_in(client, enrolled_desk, password)
    response = give_code(
        client, helpers.fresh_code(helpers.authenticator(enrolled_desk)), next=target
    )
    assert response["Location"] == "/fr/desk/"


def test_the_demo_authenticator_is_refused_when_debug_is_off(client, desk_user, password, settings):
    helpers.authenticator(desk_user, key=twofactor.DEMO_KEY)
    settings.DEBUG = False
    log_in(client, desk_user, password)
    give_code(client, twofactor.demo_code())
    assert client.get("/fr/desk/").status_code == 302


def test_the_code_page_is_valid_and_private(client, enrolled_desk, password, assert_valid_html):
    log_in(client, enrolled_desk, password)
    for language in ("ar", "fr"):
        response = client.get(f"/{language}/accounts/two-factor/code/?next=/{language}/desk/")
        assert "no-store" in response["Cache-Control"]
        assert_valid_html(response)
    assert re.search(r'autocomplete="one-time-code"', response.content.decode())


def test_no_secret_or_recovery_code_is_readable_in_the_admin(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    helpers.authenticator(root)
    twofactor.new_recovery_codes(root)
    log_in(client, root, "x" * 20)
    give_code(client, helpers.fresh_code(helpers.authenticator(root)))
    assert client.get("/admin/").status_code == 200
    for path in ("/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/"):
        assert client.get(path).status_code == 404


def test_the_demo_accounts_log_in_with_the_published_key_in_development(db, client, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0, stdout=StringIO())
    desk = get_user_model().objects.get(username="desk")
    assert helpers.authenticator(desk).key == twofactor.DEMO_KEY
    out = StringIO()
    call_command("demo_code", stdout=out)
    client.post("/fr/accounts/login/", {"username": "desk", "password": "guichet-demo"})
    give_code(client, out.getvalue().strip())
    assert client.get("/fr/desk/").status_code == 200


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_recovery_code_and_overview_pages_are_valid(
    client, enrolled_desk, password, language, assert_valid_html
):
    log_in(client, enrolled_desk, password)
    give_code(client, helpers.fresh_code(helpers.authenticator(enrolled_desk)))
    refused = client.post(f"/{language}/accounts/two-factor/recovery-codes/new/", {"code": "1"})
    assert "errorlist" in refused.content.decode()
    assert_valid_html(refused)
    fresh = client.post(
        f"/{language}/accounts/two-factor/recovery-codes/new/",
        {"code": helpers.fresh_code(helpers.authenticator(enrolled_desk))},
        follow=True,
    )
    assert_valid_html(fresh)
    assert_valid_html(client.get(f"/{language}/accounts/two-factor/recovery-codes/"))
    assert_valid_html(client.get(f"/{language}/accounts/two-factor/"))


# --- A set-up is seen by one session only ---------------------------------------


def test_a_set_up_opened_elsewhere_is_replaced_and_its_secret_never_works(
    client, desk_user, password
):
    intruder = Client()
    log_in(intruder, desk_user, password)
    intruder.get("/fr/accounts/two-factor/set-up/")
    stolen = TOTPDevice.objects.get(user=desk_user)
    # The owner opens the set-up: a new secret, and the intruder's is gone.
    log_in(client, desk_user, password)
    html = client.get("/fr/accounts/two-factor/set-up/").content.decode()
    mine = TOTPDevice.objects.get(user=desk_user)
    assert mine.pk != stolen.pk and mine.key != stolen.key
    assert twofactor.secret_text(stolen) not in html
    assert twofactor.secret_text(mine) in html
    # The intruder's code from the secret it saw confirms nothing.
    response = give_code(
        intruder,
        helpers.code_at(stolen, helpers.current_step(stolen)),
        url="/fr/accounts/two-factor/set-up/",
    )
    assert "errorlist" in response.content.decode()
    assert intruder.get("/fr/desk/").status_code == 302
    # Its attempt began a set-up of its own, which the owner's next visit replaces in
    # turn; the owner confirms theirs, and the intruder's secret still opens nothing.
    client.get("/fr/accounts/two-factor/set-up/")
    mine = TOTPDevice.objects.get(user=desk_user)
    assert mine.key != stolen.key
    give_code(client, helpers.fresh_code(mine), url="/fr/accounts/two-factor/set-up/")
    assert client.get("/fr/desk/").status_code == 200
    assert TOTPDevice.objects.get(user=desk_user, confirmed=True).key == mine.key
    give_code(intruder, helpers.code_at(stolen, helpers.current_step(stolen)))
    assert intruder.get("/fr/desk/").status_code == 302


def test_a_set_up_seen_by_another_session_cannot_be_confirmed_from_it(client, desk_user, password):
    log_in(client, desk_user, password)
    client.get("/fr/accounts/two-factor/set-up/")
    owners = TOTPDevice.objects.get(user=desk_user)
    intruder = Client()
    log_in(intruder, desk_user, password)
    html = intruder.get("/fr/accounts/two-factor/set-up/").content.decode()
    assert twofactor.secret_text(owners) not in html
    response = give_code(
        intruder,
        helpers.code_at(owners, helpers.current_step(owners)),
        url="/fr/accounts/two-factor/set-up/",
    )
    assert "errorlist" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=desk_user, confirmed=True).exists()


def test_a_confirmed_authenticator_is_logged_and_mailed_to_the_owner(client, desk_user, password):
    log_in(client, desk_user, password)
    client.get("/fr/accounts/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=desk_user)
    give_code(client, helpers.fresh_code(device), url="/fr/accounts/two-factor/set-up/")
    row = AccessLog.objects.get(action=AccessLog.Action.CHANGE)
    assert (row.username, row.detail) == (desk_user.username, "desk-amina: authenticator set up")
    assert [message.to for message in mail.outbox] == [[desk_user.email]]
    assert device.key not in mail.outbox[0].body
    assert "desk-amina" in mail.outbox[0].body


def test_a_wrong_set_up_code_is_neither_logged_nor_mailed(client, desk_user, password):
    log_in(client, desk_user, password)
    client.get("/fr/accounts/two-factor/set-up/")
    give_code(client, "000000", url="/fr/accounts/two-factor/set-up/")
    assert not AccessLog.objects.exists()
    assert mail.outbox == []


# --- New recovery codes need a current code from the authenticator --------------


def recovery_tokens(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


@pytest.fixture
def signed_in_desk(client, enrolled_desk, password):
    """``enrolled_desk`` logged in with its password and an authenticator code, with
    recovery codes; returns the code it logged in with."""
    twofactor.new_recovery_codes(enrolled_desk)
    log_in(client, enrolled_desk, password)
    code = helpers.fresh_code(helpers.authenticator(enrolled_desk))
    give_code(client, code)
    assert client.get("/fr/desk/").status_code == 200
    return code


def test_new_recovery_codes_are_logged_and_mailed_to_the_owner(
    client, enrolled_desk, signed_in_desk
):
    code = helpers.fresh_code(helpers.authenticator(enrolled_desk))
    client.post("/fr/accounts/two-factor/recovery-codes/new/", {"code": code})
    row = AccessLog.objects.get(action=AccessLog.Action.CHANGE)
    assert row.detail == "desk-amina: recovery codes made anew"
    assert [message.to for message in mail.outbox] == [[enrolled_desk.email]]
    assert not any(token in mail.outbox[0].body for token in recovery_tokens(enrolled_desk))


@pytest.mark.parametrize("what", ["none", "empty", "wrong", "junk", "recovery", "replayed"])
def test_new_recovery_codes_are_refused_without_a_current_authenticator_code(
    client, enrolled_desk, signed_in_desk, what
):
    old = recovery_tokens(enrolled_desk)
    body = {
        "none": {},
        "empty": {"code": ""},
        "wrong": {"code": "000000"},
        "junk": {"code": "x" * 300},
        "recovery": {"code": sorted(old)[0]},
        "replayed": {"code": signed_in_desk},
    }[what]
    response = client.post("/fr/accounts/two-factor/recovery-codes/new/", body)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert recovery_tokens(enrolled_desk) == old
    assert twofactor.FRESH_CODES_SESSION_KEY not in client.session
    assert not AccessLog.objects.filter(action=AccessLog.Action.CHANGE).exists()
    assert mail.outbox == []


def test_the_pages_ask_for_the_code_before_making_recovery_codes(client, signed_in_desk):
    for url in ("/fr/accounts/two-factor/", "/fr/accounts/two-factor/recovery-codes/"):
        html = client.get(url).content.decode()
        assert 'action="/fr/accounts/two-factor/recovery-codes/new/"' in html
        assert 'name="code"' in html


# --- Wrong codes, throttling and recovery codes are logged, without the codes ----


def warnings_of(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "guichet.twofactor" and record.levelno == logging.WARNING
    ]


def test_a_wrong_code_and_a_throttled_attempt_are_logged_without_the_code(
    client, enrolled_desk, password, caplog
):
    log_in(client, enrolled_desk, password)
    with caplog.at_level(logging.WARNING, logger="guichet.twofactor"):
        give_code(client, "012345")
        give_code(client, "012346")
    logged = warnings_of(caplog)
    assert logged == [
        "Second factor: a wrong code for desk-amina (authenticator)",
        "Second factor: too many wrong codes for desk-amina (authenticator), refused",
    ]


def test_a_recovery_code_used_is_logged_without_the_code(client, enrolled_desk, password, caplog):
    codes = twofactor.new_recovery_codes(enrolled_desk)
    log_in(client, enrolled_desk, password)
    with caplog.at_level(logging.WARNING, logger="guichet.twofactor"):
        give_code(client, codes[0])
    assert warnings_of(caplog) == ["Second factor: desk-amina used a recovery code, 9 left"]
    assert not any(code in caplog.text for code in codes)
