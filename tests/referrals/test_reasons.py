"""Reasons as codes: chosen from Primero's list, shown translated, counted, checked by the DB."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.html import escape

from referrals.models import Referral
from referrals.workflow import WorkflowError, purge_referrals, referral_transition

S = Referral.Status
R = Referral.Reason


def decline(client, referral, reason, note=""):
    return client.post(
        f"/en/desk/referrals/{referral.reference}/status/",
        {"to_status": "declined", "version": referral.version, "reason": reason, "note": note},
    )


@pytest.fixture
def partner_client(client, partner_user):
    client.force_login(partner_user)
    return client


def test_declining_stores_the_reason_as_a_code(partner_client, referral):
    decline(partner_client, referral, R.NO_CAPACITY)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_reason_code) == (S.DECLINED, "no_capacity")


def test_not_completed_stores_the_reason_as_a_code(partner_user, make_referral):
    referral = make_referral(status=S.ACCEPTED)
    referral = referral_transition(
        referral=referral,
        to_status=S.NOT_COMPLETED,
        by=partner_user,
        version=1,
        reason_code=R.DID_NOT_COME,
    )
    assert referral.outcome_reason_code == "did_not_come"


@pytest.mark.parametrize("reason", ["", "approved", "x" * 21, "other'; --"])
def test_a_missing_or_forged_reason_is_refused(partner_client, referral, reason):
    response = decline(partner_client, referral, reason, note="text")
    referral.refresh_from_db()
    assert response.status_code == 400 and referral.status == S.SENT


def test_other_needs_a_few_words(partner_client, referral):
    refused = decline(partner_client, referral, R.OTHER)
    referral.refresh_from_db()
    accepted = decline(partner_client, referral, R.OTHER, note="Moved to Rabat")
    referral.refresh_from_db()
    assert refused.status_code == 400
    assert accepted.status_code == 302 and referral.outcome_reason == "Moved to Rabat"


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_the_reason_is_shown_translated(client, desk_user, make_referral, language):
    referral = make_referral(status=S.DECLINED, outcome_reason_code=R.NOT_ELIGIBLE)
    client.force_login(desk_user)
    html = client.get(f"/{language}/desk/referrals/{referral.reference}/").content.decode()
    with translation.override(language):
        label = escape(str(R.NOT_ELIGIBLE.label))
    assert label in html and "not_eligible" not in html


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_the_decline_form_lists_the_reasons_in_the_language(
    client, partner_user, referral, language
):
    client.force_login(partner_user)
    html = client.get(f"/{language}/desk/referrals/{referral.reference}/").content.decode()
    with translation.override(language):
        labels = [escape(str(label)) for _value, label in R.choices]
    assert all(label in html for label in labels)


def test_the_database_refuses_a_refusal_without_a_reason(make_referral):
    referral = make_referral()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status=S.DECLINED)


def test_the_database_refuses_an_unknown_reason_code(make_referral):
    referral = make_referral()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(outcome_reason_code="bored")


def test_the_database_refuses_other_without_words(make_referral):
    referral = make_referral()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(
            status=S.DECLINED, outcome_reason_code="other", outcome_reason=""
        )


def test_the_purge_keeps_the_code_and_erases_the_words(partner_user, make_referral):
    from datetime import timedelta

    from django.utils import timezone

    referral = make_referral(
        status=S.DECLINED, outcome_reason_code=R.OTHER, outcome_reason="Moved to Rabat"
    )
    Referral.objects.filter(pk=referral.pk).update(closed_at=timezone.now() - timedelta(days=9))
    purge_referrals(before=timezone.now())
    referral.refresh_from_db()
    assert (referral.outcome_reason_code, referral.outcome_reason) == ("other", "")


def test_the_workflow_refuses_a_forged_code_without_http(partner_user, referral):
    with pytest.raises(WorkflowError):
        referral_transition(
            referral=referral,
            to_status=S.DECLINED,
            by=partner_user,
            version=1,
            reason_code="approved",
        )


def reason_table(client, municipal_admin):
    from tests.referrals.test_stats import backdate, table

    backdate()
    client.force_login(municipal_admin)
    reasons = table(client.get("/en/stats/"), "reason")
    return {row.label: row.cell.display for row in reasons.rows}, reasons.total.display


def test_the_statistics_count_the_reasons(client, municipal_admin, make_referral):
    for _ in range(12):
        make_referral(status=S.DECLINED, outcome_reason_code=R.NO_CAPACITY)
    for _ in range(11):
        make_referral(status=S.NOT_COMPLETED, outcome_reason_code=R.NOT_ELIGIBLE)
    make_referral()  # still open: no reason, not counted
    shown, total = reason_table(client, municipal_admin)
    assert (shown["No capacity"], shown["Not eligible"], total) == ("12", "11", "23")


def test_small_reason_counts_are_suppressed(client, municipal_admin, make_referral):
    for _ in range(3):
        make_referral(status=S.NOT_COMPLETED, outcome_reason_code=R.DID_NOT_COME)
    shown, _total = reason_table(client, municipal_admin)
    assert shown["The person did not come"] == "<10"


def test_the_reasons_table_downloads_as_csv(client, municipal_admin, make_referral):
    client.force_login(municipal_admin)
    response = client.get("/fr/stats/export/reason.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
