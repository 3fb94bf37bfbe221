"""No duplicates: a spent form token, a confirmation for the same service within ten minutes,
the lost race of two identical submissions, and the database's consent rule."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals import workflow
from referrals.models import Referral


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


def form_data(catalogue, **overrides):
    return {
        "service": "consultation-avocat",
        "submission_token": str(uuid.uuid4()),
        "client_code": "P-ABC123",
        "age_band": "26-35",
        "preferred_language": "ar",
        "need_category": catalogue["categories"]["legal"].pk,
        "urgency": "routine",
        "consent_given": "on",
        **overrides,
    }


def test_a_spent_token_records_nothing_and_says_where_the_referral_is(desk_client, catalogue):
    data = form_data(catalogue)
    desk_client.post("/en/desk/refer/", data)
    again = desk_client.post("/en/desk/refer/", {**data, "client_code": "P-OTHER9"}, follow=True)
    referral = Referral.objects.get()
    assert again.redirect_chain[-1][0].endswith(f"/desk/referrals/{referral.reference}/")
    assert "had already been sent" in again.content.decode()


def test_a_second_referral_to_the_same_service_within_ten_minutes_asks_first(
    desk_client, catalogue
):
    desk_client.post("/en/desk/refer/", form_data(catalogue))
    asked = desk_client.post("/en/desk/refer/", form_data(catalogue, client_code="P-XYZ789"))
    first = Referral.objects.get()
    html = asked.content.decode()
    assert asked.status_code == 200 and 'name="repeat_confirmed"' in html
    assert f"/desk/referrals/{first.reference}/" in html


def test_once_confirmed_the_second_referral_is_recorded(desk_client, catalogue):
    desk_client.post("/en/desk/refer/", form_data(catalogue))
    desk_client.post(
        "/en/desk/refer/", form_data(catalogue, client_code="P-XYZ789", repeat_confirmed="on")
    )
    assert Referral.objects.count() == 2


def test_another_service_needs_no_confirmation(desk_client, catalogue):
    desk_client.post("/en/desk/refer/", form_data(catalogue))
    desk_client.post(
        "/en/desk/refer/",
        form_data(
            catalogue,
            service="consultation-medecin",
            need_category=catalogue["categories"]["health"].pk,
        ),
    )
    assert Referral.objects.count() == 2


def test_after_ten_minutes_no_confirmation_is_asked(desk_client, catalogue):
    desk_client.post("/en/desk/refer/", form_data(catalogue))
    Referral.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    desk_client.post("/en/desk/refer/", form_data(catalogue))
    assert Referral.objects.count() == 2


def test_another_desk_member_needs_no_confirmation(
    client, desk_user, django_user_model, catalogue, make_referral
):
    from django.contrib.auth.models import Group

    colleague = django_user_model.objects.create_user("desk-omar", password="x" * 20)
    colleague.groups.add(Group.objects.get_or_create(name="desk")[0])
    make_referral()
    client.force_login(colleague)
    client.post("/en/desk/refer/", form_data(catalogue))
    assert Referral.objects.count() == 2


def test_the_form_page_says_what_was_recorded_minutes_ago(desk_client, catalogue):
    desk_client.post("/en/desk/refer/", form_data(catalogue))
    referral = Referral.objects.get()
    html = desk_client.get("/en/desk/refer/", {"service": "consultation-avocat"}).content.decode()
    assert f'href="/en/desk/referrals/{referral.reference}/"' in html


def test_the_lost_race_returns_the_winners_referral(desk_user, catalogue, monkeypatch):
    """Two identical submissions at once: both pass the first check, the database's unique
    token stops the second, which then returns the first one's referral."""
    token = uuid.uuid4()
    fields = {
        "client_code": "P-RACE01",
        "age_band": "26-35",
        "preferred_language": "fr",
        "need_category": catalogue["categories"]["legal"],
        "consent_given": True,
    }
    service = catalogue["services"]["lawyer"]
    winner, _new = workflow.referral_create(
        service=service, created_by=desk_user, submission_token=token, **fields
    )
    real = workflow.recorded_with
    calls = []

    def not_yet_seen_the_first_time(submission_token):
        calls.append(submission_token)
        return None if len(calls) == 1 else real(submission_token)

    monkeypatch.setattr(workflow, "recorded_with", not_yet_seen_the_first_time)
    loser, created = workflow.referral_create(
        service=service,
        created_by=desk_user,
        submission_token=token,
        repeat_confirmed=True,
        **fields,
    )
    assert (loser, created) == (winner, False) and len(calls) == 2
    assert Referral.objects.count() == 1


def test_the_database_refuses_a_referral_without_consent_or_reason(make_referral):
    referral = make_referral()
    refused = pytest.raises(IntegrityError, match="referral_consent_or_override")
    with refused, transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(
            consent_given=False, consent_override_reason=""
        )


def test_the_database_accepts_an_override_reason_instead_of_consent(make_referral):
    referral = make_referral()
    Referral.objects.filter(pk=referral.pk).update(
        consent_given=False, consent_override_reason="Emergency, unconscious"
    )
    referral.refresh_from_db()
    assert referral.consent_given is False
