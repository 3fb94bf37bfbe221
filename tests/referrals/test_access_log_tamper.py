"""The access log resists the application's own database role, and betrays the owner's edits.

The application connects as a role that may only INSERT and SELECT on the log and does
not own it; the owner (which runs migrations) can alter rows only by disabling triggers,
and the hash chain then shows where (`manage.py verify_access_log`).
"""

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from guichet import dbroles
from referrals.models import AccessLog
from referrals.workflow import log_access

ATTACKS = [
    "TRUNCATE referrals_accesslog",
    "TRUNCATE referrals_accesslog CASCADE",
    "DELETE FROM referrals_accesslog",
    "UPDATE referrals_accesslog SET detail = 'nothing happened'",
    "ALTER TABLE referrals_accesslog DISABLE TRIGGER USER",
    "ALTER TABLE referrals_accesslog DISABLE TRIGGER referrals_accesslog_append_only",
    "DROP TRIGGER referrals_accesslog_append_only ON referrals_accesslog",
    "DROP TRIGGER referrals_accesslog_no_truncate ON referrals_accesslog",
    "DROP TABLE referrals_accesslog CASCADE",
    "ALTER TABLE referrals_accesslog OWNER TO CURRENT_USER",
    "DROP SCHEMA public CASCADE",
    "SET session_replication_role = replica",
]


@pytest.mark.parametrize("statement", ATTACKS)
def test_the_application_role_cannot_erase_or_rewrite_it(referral, desk_user, statement):
    log_access(desk_user, "view", referral)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLog.objects.count() == 1


def test_the_application_role_is_neither_owner_nor_allowed_to_change_it(db):
    assert dbroles.access_log_weaknesses() == []


def test_each_row_is_chained_to_the_previous_one(referral, desk_user):
    for _ in range(3):
        log_access(desk_user, "view", referral)
    first, second, third = AccessLog.objects.order_by("id")
    assert first.previous_hash == "" and len(first.hash) == 64
    assert (second.previous_hash, third.previous_hash) == (first.hash, second.hash)


def test_the_verifier_passes_an_intact_log(referral, desk_user, capsys):
    for _ in range(3):
        log_access(desk_user, "view", referral)
    call_command("verify_access_log")
    assert "3 rows chained" in capsys.readouterr().out


def _as_owner(sql: str, params=()) -> None:
    """Run ``sql`` on a separate connection, as the owner role, and commit."""
    db = {**connection.settings_dict, **settings.MIGRATE_DATABASE}
    with (
        psycopg2.connect(
            dbname=db["NAME"], user=db["USER"], host=db["HOST"], password=db["PASSWORD"] or None
        ) as owner,
        owner.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    owner.close()


@pytest.mark.django_db(transaction=True)
def test_a_row_altered_by_the_owner_is_detected(referral, desk_user):
    for _ in range(3):
        log_access(desk_user, "view", referral)
    middle = AccessLog.objects.order_by("id")[1]
    _as_owner(
        "ALTER TABLE referrals_accesslog DISABLE TRIGGER referrals_accesslog_append_only;"
        "UPDATE referrals_accesslog SET username = 'someone else' WHERE id = %s;"
        "ALTER TABLE referrals_accesslog ENABLE TRIGGER referrals_accesslog_append_only;",
        [middle.pk],
    )
    with pytest.raises(CommandError, match=f"row {middle.pk} was altered"):
        call_command("verify_access_log")


@pytest.mark.django_db(transaction=True)
def test_a_row_removed_by_the_owner_is_detected(referral, desk_user):
    for _ in range(3):
        log_access(desk_user, "view", referral)
    first, middle, last = AccessLog.objects.order_by("id")
    _as_owner(
        "ALTER TABLE referrals_accesslog DISABLE TRIGGER referrals_accesslog_append_only;"
        "DELETE FROM referrals_accesslog WHERE id = %s;"
        "ALTER TABLE referrals_accesslog ENABLE TRIGGER referrals_accesslog_append_only;",
        [middle.pk],
    )
    with pytest.raises(CommandError, match=f"row {last.pk} does not follow row {first.pk}"):
        call_command("verify_access_log")


@pytest.mark.django_db(transaction=True)
def test_even_the_owner_cannot_truncate_it_without_disabling_the_trigger(referral, desk_user):
    log_access(desk_user, "view", referral)
    with pytest.raises(psycopg2.Error, match="TRUNCATE refused"):
        _as_owner("TRUNCATE referrals_accesslog")
    assert AccessLog.objects.count() == 1


def test_the_verifier_refuses_a_role_that_could_rewrite_the_log(db, monkeypatch):
    monkeypatch.setattr(dbroles, "access_log_weaknesses", lambda: ["the role owns the log"])
    with pytest.raises(CommandError, match="not restricted: the role owns the log"):
        call_command("verify_access_log")
