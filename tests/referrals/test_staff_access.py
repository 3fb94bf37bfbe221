"""Separation of duties: municipal admins curate but cannot give anyone (least of all
themselves) access to referral data; holders of "manage staff access" can, for others
only; every grant and removal is logged and e-mailed to the holders."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from associations.models import Membership
from guichet import roles
from referrals.models import AccessLog


@pytest.fixture
def desk_group(db):
    return Group.objects.get(name=roles.DESK)


def user_form(user, **changes):
    """The admin's change form for ``user``, as a raw POST would send it."""
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def test_municipal_admins_are_not_superusers_and_can_curate(client, municipal_admin, catalogue):
    client.force_login(municipal_admin)
    assert not municipal_admin.is_superuser
    assert client.get("/admin/services/service/").status_code == 200
    assert client.get("/admin/associations/association/").status_code == 200


def test_a_municipal_admin_cannot_join_the_desk_by_a_raw_post(client, municipal_admin, desk_group):
    client.force_login(municipal_admin)
    groups = [*municipal_admin.groups.values_list("pk", flat=True), desk_group.pk]
    response = client.post(
        f"/admin/auth/user/{municipal_admin.pk}/change/", user_form(municipal_admin, groups=groups)
    )
    assert response.status_code == 200  # the form again, with the error (the admin is French)
    assert (
        "Seul un compte qui détient « gérer les accès du personnel »" in response.content.decode()
    )
    assert not municipal_admin.groups.filter(name=roles.DESK).exists()


def test_a_municipal_admin_cannot_put_someone_else_in_the_desk(
    client, municipal_admin, plain_user, desk_group
):
    client.force_login(municipal_admin)
    client.post(
        f"/admin/auth/user/{plain_user.pk}/change/", user_form(plain_user, groups=[desk_group.pk])
    )
    assert not plain_user.groups.filter(name=roles.DESK).exists()


def test_a_municipal_admin_cannot_make_itself_superuser(client, municipal_admin):
    client.force_login(municipal_admin)
    client.post(
        f"/admin/auth/user/{municipal_admin.pk}/change/",
        user_form(municipal_admin, is_superuser="on"),
    )
    municipal_admin.refresh_from_db()
    assert not municipal_admin.is_superuser


def test_a_municipal_admin_cannot_add_a_membership(client, municipal_admin, partner_user):
    association = partner_user.memberships.get().association
    client.force_login(municipal_admin)
    response = client.post(
        "/admin/associations/membership/add/",
        {"user": municipal_admin.pk, "association": association.pk},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=municipal_admin).exists()


def test_a_municipal_admin_cannot_give_its_group_the_permission(client, municipal_admin):
    client.force_login(municipal_admin)
    group = Group.objects.get(name=roles.MUNICIPAL_ADMIN)
    manage = Permission.objects.get(codename="manage_staff_access")
    response = client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {
            "name": group.name,
            "permissions": [*group.permissions.values_list("pk", flat=True), manage.pk],
        },
    )
    assert response.status_code == 403
    assert not group.permissions.filter(pk=manage.pk).exists()


def test_a_holder_gives_someone_else_desk_access_logged_and_emailed(
    client, access_manager, plain_user, desk_group
):
    client.force_login(access_manager)
    response = client.post(
        f"/admin/auth/user/{plain_user.pk}/change/", user_form(plain_user, groups=[desk_group.pk])
    )
    assert response.status_code == 302
    assert plain_user.groups.filter(name=roles.DESK).exists()
    entry = AccessLog.objects.get(action=AccessLog.Action.GRANT)
    assert (entry.user, entry.detail) == (access_manager, f"{plain_user.username}: desk")
    assert [message.to for message in mail.outbox] == [[access_manager.email]]
    assert plain_user.username in mail.outbox[0].body


def test_a_holder_cannot_give_itself_desk_access(client, access_manager, desk_group):
    client.force_login(access_manager)
    groups = [*access_manager.groups.values_list("pk", flat=True), desk_group.pk]
    response = client.post(
        f"/admin/auth/user/{access_manager.pk}/change/", user_form(access_manager, groups=groups)
    )
    assert "Personne ne peut donner à son propre compte" in response.content.decode()
    assert not access_manager.groups.filter(name=roles.DESK).exists()


def test_a_holder_cannot_give_itself_a_membership(client, access_manager, partner_user):
    association = partner_user.memberships.get().association
    client.force_login(access_manager)
    response = client.post(
        "/admin/associations/membership/add/",
        {"user": access_manager.pk, "association": association.pk},
    )
    assert "Personne ne peut donner à son propre compte" in response.content.decode()
    assert not Membership.objects.filter(user=access_manager).exists()


def test_a_holder_removes_a_membership_logged(client, access_manager, partner_user):
    membership = partner_user.memberships.get()
    client.force_login(access_manager)
    client.post(f"/admin/associations/membership/{membership.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AccessLog.objects.get(action=AccessLog.Action.REVOKE)
    assert entry.detail == f"{partner_user.username}: association {membership.association_id}"
    assert len(mail.outbox) == 1


def test_the_membership_inline_is_read_only(client, municipal_admin, partner_user):
    association = partner_user.memberships.get().association
    client.force_login(municipal_admin)
    html = client.get(f"/admin/associations/association/{association.pk}/change/").content.decode()
    assert partner_user.username in html  # the inline lists the staff...
    assert 'name="memberships-0-DELETE"' not in html  # ...and offers no change


def test_only_holders_see_and_lift_lockouts(client, municipal_admin, access_manager):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username="desk", ip_address="203.0.113.7", failures_since_start=5, user_agent="x"
    )
    client.force_login(municipal_admin)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    client.force_login(access_manager)
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert AccessLog.objects.filter(detail="lifted log-in lock-out of desk").exists()


@pytest.mark.django_db(transaction=True)
def test_the_staff_groups_keep_their_permissions_after_a_flush(django_user_model):
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    group = Group.objects.get(name=roles.MUNICIPAL_ADMIN)
    assert group.permissions.filter(codename="change_service").exists()
    assert (
        Group.objects.get(name="staff access")
        .permissions.filter(codename="manage_staff_access")
        .exists()
    )
