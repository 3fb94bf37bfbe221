"""Open now, computed in Africa/Casablanca, with slots that run past midnight."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from services.models import OpeningHours, Service, opening_state
from tests import factories

CITY = ZoneInfo("Africa/Casablanca")
# 2026-11-23 is a Monday (weekday 0).


def open_slugs(moment: datetime) -> set[str]:
    return set(Service.objects.open_at(moment).values_list("slug", flat=True))


@pytest.fixture
def night_shelter(db):
    return factories.service(slug="night", hours=[(0, "20:00", "08:00")])


@pytest.fixture
def day_clinic(db):
    return factories.service(slug="day", hours=[(0, "09:00", "17:00")])


def test_open_during_a_daytime_slot(day_clinic):
    assert open_slugs(datetime(2026, 11, 23, 10, 0, tzinfo=CITY)) == {"day"}


def test_closed_at_the_closing_minute(day_clinic):
    assert open_slugs(datetime(2026, 11, 23, 17, 0, tzinfo=CITY)) == set()


def test_overnight_slot_is_open_on_its_evening(night_shelter):
    assert open_slugs(datetime(2026, 11, 23, 23, 30, tzinfo=CITY)) == {"night"}


def test_overnight_slot_is_still_open_the_next_morning(night_shelter):
    assert open_slugs(datetime(2026, 11, 24, 7, 59, tzinfo=CITY)) == {"night"}


def test_overnight_slot_is_closed_after_it_ends(night_shelter):
    assert open_slugs(datetime(2026, 11, 24, 8, 0, tzinfo=CITY)) == set()


def test_overnight_slot_is_not_open_the_morning_before(night_shelter):
    assert open_slugs(datetime(2026, 11, 23, 7, 0, tzinfo=CITY)) == set()


def test_overnight_slot_on_sunday_runs_into_monday(db):
    factories.service(slug="sunday-night", hours=[(6, "22:00", "06:00")])
    assert open_slugs(datetime(2026, 11, 23, 5, 0, tzinfo=CITY)) == {"sunday-night"}


def test_open_now_is_read_in_the_citys_time_zone(day_clinic):
    # 08:30 UTC is 09:30 in Casablanca (UTC+1 outside Ramadan): open.
    assert open_slugs(datetime(2026, 11, 23, 8, 30, tzinfo=UTC)) == {"day"}


def test_open_now_in_utc_near_midnight_uses_the_citys_day(night_shelter):
    # Sunday 23:30 UTC is Monday 00:30 in Casablanca; the Monday-night slot has not begun.
    assert open_slugs(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == set()


def test_temporarily_closed_services_are_never_open(day_clinic):
    Service.objects.filter(pk=day_clinic.pk).update(status=Service.Status.TEMPORARILY_CLOSED)
    assert open_slugs(datetime(2026, 11, 23, 10, 0, tzinfo=CITY)) == set()


def test_opening_state_says_when_it_closes(day_clinic):
    state = opening_state(list(day_clinic.hours.all()), datetime(2026, 11, 23, 10, 0, tzinfo=CITY))
    assert state["open"] and state["closes"] == datetime(2026, 11, 23, 17, 0, tzinfo=CITY)


def test_opening_state_says_when_it_next_opens(day_clinic):
    state = opening_state(list(day_clinic.hours.all()), datetime(2026, 11, 23, 18, 0, tzinfo=CITY))
    assert not state["open"] and state["opens"] == datetime(2026, 11, 30, 9, 0, tzinfo=CITY)


def test_opening_state_of_an_overnight_slot_closes_the_next_morning(night_shelter):
    state = opening_state(
        list(night_shelter.hours.all()), datetime(2026, 11, 24, 2, 0, tzinfo=CITY)
    )
    assert state["open"] and state["closes"] == datetime(2026, 11, 24, 8, 0, tzinfo=CITY)


def test_a_slot_cannot_open_and_close_at_the_same_time(day_clinic):
    slot = OpeningHours(service=day_clinic, weekday=1, opens="10:00", closes="10:00")
    with pytest.raises(ValidationError):
        slot.full_clean()


def test_the_database_refuses_an_empty_slot(day_clinic):
    with pytest.raises(IntegrityError):
        OpeningHours.objects.create(service=day_clinic, weekday=1, opens="10:00", closes="10:00")


def test_the_database_refuses_an_impossible_weekday(day_clinic):
    with pytest.raises(IntegrityError):
        OpeningHours.objects.create(service=day_clinic, weekday=7, opens="10:00", closes="11:00")
