"""Who may give an account access to referral data, and the trace each change leaves.

An account reaches referral data through the ``desk`` group or a Membership of an
association; it may hand that access out when it holds "manage staff access"
(directly or through a group), or is a superuser. Only a holder of "manage staff access"
changes any of that for anyone, never for their own account, and every grant and
removal is written to the access log and e-mailed to every holder.

The admin (referrals/admin.py) calls ``check_change`` when validating a form — so a
raw POST meets the same rule — and ``record_change`` once the change is saved.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from guichet import roles, twofactor
from referrals.models import AccessLog
from referrals.workflow import log_access

MANAGE_STAFF_ACCESS = "associations.manage_staff_access"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# How a second-factor reset reads in the access log and the holders' e-mail.
SECOND_FACTOR = "second factor"


def manage_permission() -> Permission:
    app_label, codename = MANAGE_STAFF_ACCESS.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def can_manage(user) -> bool:
    """Whether ``user`` may give or take away access to referral data."""
    return bool(user.is_active and user.has_perm(MANAGE_STAFF_ACCESS))


def access_of(*, is_superuser: bool, group_ids, permission_ids, association_ids) -> frozenset[str]:
    """What access to referral data an account with these settings has, as labels."""
    access = set()
    if is_superuser:
        access.add("superuser")
    manage = manage_permission()
    group_ids = list(group_ids)
    if manage.pk in set(permission_ids) or manage.group_set.filter(pk__in=group_ids).exists():
        access.add("manage staff access")
    if Group.objects.filter(pk__in=group_ids, name=roles.DESK).exists():
        access.add("desk")
    access.update(f"association {pk}" for pk in association_ids)
    return frozenset(access)


def current_access(account) -> frozenset[str]:
    """``account``'s access to referral data as stored now (empty for a new account)."""
    if account is None or account.pk is None:
        return frozenset()
    return access_of(
        is_superuser=account.is_superuser,
        group_ids=account.groups.values_list("pk", flat=True),
        permission_ids=account.user_permissions.values_list("pk", flat=True),
        association_ids=account.memberships.values_list("association_id", flat=True),
    )


def check_change(*, by, account, before: frozenset[str], after: frozenset[str]) -> None:
    """Refuse (ValidationError) a change of ``account``'s referral access that ``by`` may
    not make: anyone without "manage staff access", and anyone for their own account."""
    if before == after:
        return
    if not can_manage(by):
        raise ValidationError(
            _(
                "Only an account holding “manage staff access” can give or take away "
                "access to referral data."
            ),
            code="not_allowed",
        )
    if after - before and account is not None and account.pk == by.pk:
        raise ValidationError(
            _(
                "Nobody can give their own account access to referral data: ask another "
                "holder of “manage staff access”."
            ),
            code="self_grant",
        )


def holders():
    """Every active account that holds "manage staff access" (superusers included)."""
    return get_user_model().objects.with_perm(
        MANAGE_STAFF_ACCESS, is_active=True, include_superusers=True, backend=MODEL_BACKEND
    )


def record_change(*, by, account, before: frozenset[str], after: frozenset[str]) -> None:
    """Write each grant and removal to the access log and e-mail every holder."""
    added, removed = sorted(after - before), sorted(before - after)
    for labels, action in ((added, AccessLog.Action.GRANT), (removed, AccessLog.Action.REVOKE)):
        for label in labels:
            log_access(by, action, detail=f"{account.username}: {label}")
    if not (added or removed):
        return
    recipients = sorted({user.email for user in holders() if user.email})
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        heading = _("%(by)s changed the access of %(account)s to referral data.") % {
            "by": by.username,
            "account": account.username,
        }
        changes = [f"+ {label}" for label in added] + [f"- {label}" for label in removed]
        warning = _("If you did not expect this change, check it in the access log at once.")
        send_mail(
            _("Guichet: staff access changed"),
            "\n".join([heading, *changes, "", warning]),
            None,
            recipients,
        )


def may_reset_second_factor(*, by, account) -> bool:
    """Whether ``by`` may reset ``account``'s second factor: a holder of "manage staff
    access", for another account (the same rule as a grant); and only a superuser for a
    superuser or for another holder, so that a holder cannot take over an account with
    more power, or as much, than their own."""
    if not can_manage(by) or account.pk == by.pk:
        return False
    powerful = account.is_superuser or "manage staff access" in current_access(account)
    return by.is_superuser or not powerful


@transaction.atomic
def reset_second_factor(*, by, account) -> None:
    """Delete ``account``'s authenticator and recovery codes, so that it sets up a new
    one at its next request (its open sessions too); when there was any, log it and
    e-mail every holder like a removal of access, and the account's owner. Refuse
    (PermissionDenied) what ``by`` may not do."""
    if not may_reset_second_factor(by=by, account=account):
        raise PermissionDenied
    if not twofactor.remove_devices(account):
        return
    record_change(by=by, account=account, before=frozenset({SECOND_FACTOR}), after=frozenset())
    with translation.override(settings.LANGUAGE_CODE):
        twofactor.tell_owner(
            account,
            _("Guichet: your two-factor sign-in was reset"),
            _(
                "%(by)s reset the two-factor sign-in of your account %(account)s: at your "
                "next log-in you will set up an authenticator app again."
            )
            % {"by": by.username, "account": account.username},
        )
