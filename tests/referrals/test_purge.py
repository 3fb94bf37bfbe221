"""Retention: old closed referrals lose their personal data; statistics keep counting them."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from referrals.models import AccessLog, Referral


def close(referral, months_ago: int):
    Referral.objects.filter(pk=referral.pk).update(
        status="completed", closed_at=timezone.now() - timedelta(days=31 * months_ago)
    )


def test_purge_erases_personal_data_of_old_closed_referrals(make_referral):
    old = make_referral(nationality="SN", region="western_africa", follow_up_on="2020-01-01")
    close(old, 30)
    call_command("purge_referrals", "--older-than-months", "24", verbosity=0)
    old.refresh_from_db()
    assert (old.client_code, old.notes, str(old.nationality), old.follow_up_on) == (
        "",
        "",
        "",
        None,
    )
    assert old.purged_at is not None


def test_purge_keeps_what_statistics_need(make_referral):
    old = make_referral(nationality="SN", region="western_africa", gender="female")
    close(old, 30)
    call_command("purge_referrals", verbosity=0)
    old.refresh_from_db()
    assert (old.region, old.age_band, old.gender, old.status) == (
        "western_africa",
        "26-35",
        "female",
        "completed",
    )
    assert Referral.objects.count() == 1


def test_purge_leaves_recent_and_open_referrals(make_referral):
    recent = make_referral()
    close(recent, 3)
    still_open = make_referral()
    Referral.objects.filter(pk=still_open.pk).update(
        created_at=timezone.now() - timedelta(days=1000)
    )
    call_command("purge_referrals", verbosity=0)
    assert Referral.objects.filter(purged_at__isnull=False).count() == 0


def test_purge_erases_the_notes_of_status_changes(make_referral, partner_user):
    old = make_referral()
    old.events.update(note="said her brother's name")
    close(old, 30)
    call_command("purge_referrals", verbosity=0)
    assert set(old.events.values_list("note", flat=True)) == {""}


def test_dry_run_reports_and_changes_nothing(make_referral, capsys):
    old = make_referral()
    close(old, 30)
    call_command("purge_referrals", "--dry-run")
    old.refresh_from_db()
    assert old.client_code == "P-TEST01" and "1 closed referrals" in capsys.readouterr().out


def test_purge_is_logged(make_referral):
    close(make_referral(), 30)
    call_command("purge_referrals", verbosity=0)
    assert AccessLog.objects.filter(action="purge").count() == 1


def test_a_purged_referral_page_says_so(client, desk_user, make_referral):
    old = make_referral()
    close(old, 30)
    call_command("purge_referrals", verbosity=0)
    client.force_login(desk_user)
    html = client.get(f"/en/desk/referrals/{old.reference}/").content.decode()
    assert "has been erased" in html
