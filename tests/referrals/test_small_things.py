"""The small things that cost the desk time: cancel with confirmation, no slip once closed,
one consent error, the nationalities met most first."""

import re
import uuid

import pytest

from referrals.models import Referral

S = Referral.Status


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_cancelling_asks_for_confirmation_first(desk_client, referral, language):
    detail = desk_client.get(f"/{language}/desk/referrals/{referral.reference}/").content.decode()
    confirm = desk_client.get(f"/{language}/desk/referrals/{referral.reference}/cancel/")
    assert f'href="/{language}/desk/referrals/{referral.reference}/cancel/"' in detail
    assert 'name="confirmed"' in confirm.content.decode() and confirm.status_code == 200


def test_a_cancellation_without_confirmation_goes_to_the_confirmation_page(desk_client, referral):
    response = desk_client.post(
        f"/en/desk/referrals/{referral.reference}/status/",
        {"to_status": "cancelled", "version": 1},
    )
    referral.refresh_from_db()
    assert response["Location"].endswith(f"/{referral.reference}/cancel/")
    assert referral.status == S.SENT


def test_the_confirmed_cancellation_is_made(desk_client, referral):
    desk_client.post(
        f"/en/desk/referrals/{referral.reference}/status/",
        {"to_status": "cancelled", "version": 1, "confirmed": "on"},
    )
    referral.refresh_from_db()
    assert referral.status == S.CANCELLED


def test_a_closed_referral_has_no_cancel_page(desk_client, make_referral):
    referral = make_referral(status=S.COMPLETED)
    response = desk_client.get(f"/en/desk/referrals/{referral.reference}/cancel/")
    assert response.status_code == 302


@pytest.mark.parametrize("status", [S.CANCELLED, S.COMPLETED, S.DECLINED, S.NOT_COMPLETED])
def test_a_closed_referral_offers_no_slip(desk_client, make_referral, status):
    referral = make_referral(status=status)
    detail = desk_client.get(f"/en/desk/referrals/{referral.reference}/").content.decode()
    slip = desk_client.get(f"/en/desk/referrals/{referral.reference}/slip/")
    assert "/slip/" not in detail
    assert slip.status_code == 302 and slip["Location"].endswith(f"/{referral.reference}/")


@pytest.mark.parametrize("status", [S.SENT, S.ACCEPTED])
def test_an_open_referral_offers_its_slip(desk_client, make_referral, status):
    referral = make_referral(status=status)
    detail = desk_client.get(f"/en/desk/referrals/{referral.reference}/").content.decode()
    assert f"/{referral.reference}/slip/" in detail


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_the_consent_error_shows_once(desk_client, catalogue, language):
    response = desk_client.post(
        f"/{language}/desk/refer/",
        {
            "service": "consultation-avocat",
            "submission_token": str(uuid.uuid4()),
            "client_code": "P-ABC123",
            "age_band": "26-35",
            "preferred_language": "ar",
            "need_category": catalogue["categories"]["legal"].pk,
            "urgency": "routine",
        },
    )
    errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode())
    assert response.status_code == 400 and len(errors) == 1


def test_the_nationalities_met_most_come_first(desk_client, catalogue, make_referral):
    for code, times in (("SN", 3), ("CM", 2), ("SY", 1)):
        for _ in range(times):
            make_referral(nationality=code)
    html = desk_client.get("/en/desk/refer/", {"service": "consultation-avocat"}).content.decode()
    group = re.search(r'<optgroup label="Most frequent at the desk">(.*?)</optgroup>', html, re.S)[
        1
    ]
    assert re.findall(r'value="([A-Z]{2})"', group) == ["SN", "CM", "SY"]
    assert '<optgroup label="All countries">' in html and 'value="AF"' in html


def test_without_referrals_the_nationalities_are_one_list(desk_client, catalogue):
    html = desk_client.get("/en/desk/refer/", {"service": "consultation-avocat"}).content.decode()
    assert "<optgroup" not in html and 'value="SN"' in html
