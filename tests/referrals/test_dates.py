"""Dates in every language: ISO in date inputs, each language's own way in text."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from referrals.models import Referral

LANGUAGES = ["ar", "fr", "es", "en"]


def in_a_week():
    return timezone.localdate() + timedelta(days=7)


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_saved_follow_up_date_shows_as_iso(desk_client, make_referral, language):
    referral = make_referral(follow_up_on=in_a_week())
    html = desk_client.get(f"/{language}/desk/referrals/{referral.reference}/").content.decode()
    assert re.search(rf'type="date" name="follow_up_on" value="{in_a_week().isoformat()}"', html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_iso_follow_up_date_is_accepted_and_survives_another_save(
    desk_client, referral, language
):
    url = f"/{language}/desk/referrals/{referral.reference}/follow-up/"
    desk_client.post(url, {"follow_up_on": in_a_week().isoformat(), "version": 1})
    page = desk_client.get(f"/{language}/desk/referrals/{referral.reference}/").content.decode()
    value = re.search(r'name="follow_up_on" value="([^"]*)"', page)[1]
    desk_client.post(url, {"follow_up_on": value, "version": 2})
    referral.refresh_from_db()
    assert referral.follow_up_on == in_a_week() and referral.version == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_statistics_range_shows_as_iso(client, municipal_admin, language):
    client.force_login(municipal_admin)
    html = client.get(
        f"/{language}/stats/", {"start": "2025-01-01", "end": "2025-06-30"}
    ).content.decode()
    assert 'name="start" value="2025-01-01"' in html
    assert 'name="end" value="2025-06-30"' in html


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_localised_date_is_not_mistaken_for_another(desk_client, referral, language):
    """01/12/2026 means one thing in French and another in English: only ISO is read."""
    response = desk_client.post(
        f"/{language}/desk/referrals/{referral.reference}/follow-up/",
        {"follow_up_on": "01/12/2099", "version": 1},
    )
    referral.refresh_from_db()
    assert response.status_code == 400 and referral.follow_up_on is None


def test_a_follow_up_date_in_the_past_is_refused(desk_client, referral):
    response = desk_client.post(
        f"/en/desk/referrals/{referral.reference}/follow-up/",
        {"follow_up_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "version": 1},
    )
    referral.refresh_from_db()
    assert response.status_code == 400 and referral.follow_up_on is None
    assert "Choose today or a later date" in response.content.decode()


def test_a_new_referral_with_a_past_follow_up_date_is_refused(desk_client, catalogue):
    import uuid

    response = desk_client.post(
        "/en/desk/refer/",
        {
            "service": "consultation-avocat",
            "submission_token": str(uuid.uuid4()),
            "client_code": "P-ABC123",
            "age_band": "26-35",
            "preferred_language": "ar",
            "need_category": catalogue["categories"]["legal"].pk,
            "urgency": "routine",
            "consent_given": "on",
            "follow_up_on": "2020-01-01",
        },
    )
    assert response.status_code == 400 and not Referral.objects.exists()
    assert "Choose today or a later date" in response.content.decode()


def test_today_is_a_valid_follow_up_date(desk_client, referral):
    desk_client.post(
        f"/en/desk/referrals/{referral.reference}/follow-up/",
        {"follow_up_on": timezone.localdate().isoformat(), "version": 1},
    )
    referral.refresh_from_db()
    assert referral.follow_up_on == timezone.localdate()


MOMENT = timezone.make_aware(datetime(2026, 12, 1, 14, 30))


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_staff_dates_and_times_use_a_24_hour_day_first_format(language):
    with translation.override(language):
        text = date_format(MOMENT, "DATETIME_FORMAT")
        short = date_format(MOMENT, "SHORT_DATE_FORMAT")
    assert "14:30" in text and "2026" in text
    assert "p.m." not in text and "PM" not in text
    assert re.sub(r"\D", "", short) == "01122026"  # day, month, year: never 12/01


def test_arabic_dates_name_the_month_in_arabic(desk_client, referral):
    html = desk_client.get(f"/ar/desk/referrals/{referral.reference}/").content.decode()
    with translation.override("ar"):
        expected = date_format(timezone.localtime(referral.created_at), "DATETIME_FORMAT")
    assert expected in html and "p.m." not in html and "a.m." not in html
