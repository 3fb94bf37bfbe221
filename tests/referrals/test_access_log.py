"""The access log is append-only: the application never changes it, nor does the database."""

import pytest
from django.db import DatabaseError, transaction

from referrals.models import AccessLog
from referrals.workflow import log_access


def test_a_row_cannot_be_saved_twice(referral, desk_user):
    log_access(desk_user, "view", referral)
    row = AccessLog.objects.get()
    with pytest.raises(ValueError):
        row.save()


def test_a_row_cannot_be_deleted_by_the_application(referral, desk_user):
    log_access(desk_user, "view", referral)
    with pytest.raises(ValueError):
        AccessLog.objects.get().delete()


def test_the_database_refuses_updates(referral, desk_user):
    log_access(desk_user, "view", referral)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.update(username="someone else")


def test_the_database_refuses_deletes(referral, desk_user):
    log_access(desk_user, "view", referral)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.all().delete()


def test_municipal_admins_read_it_in_the_admin(client, municipal_admin, referral, desk_user):
    log_access(desk_user, "view", referral)
    client.force_login(municipal_admin)
    response = client.get("/admin/referrals/accesslog/")
    assert response.status_code == 200 and referral.reference in response.content.decode()


def test_the_admin_cannot_change_or_delete_it(client, municipal_admin, referral, desk_user):
    log_access(desk_user, "view", referral)
    client.force_login(municipal_admin)
    pk = AccessLog.objects.get().pk
    client.post(f"/admin/referrals/accesslog/{pk}/delete/", {"post": "yes"})
    assert AccessLog.objects.filter(pk=pk).exists()
    assert client.get("/admin/referrals/accesslog/add/").status_code == 403
