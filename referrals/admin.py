from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from associations.admin import MembershipAdmin
from associations.models import Membership
from guichet import roles, twofactor
from referrals import staff_access
from referrals.models import AccessLog
from referrals.workflow import log_access


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The access log, read-only, for municipal admins. Referrals themselves are not in
    the admin: their personal data is seen only in the staff area, where each access
    is logged."""

    list_display = ["at", "username", "action", "referral", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["username", "referral__reference", "detail"]
    list_select_related = ["referral"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AccessLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Staff access: separation of duties (referrals/staff_access.py) -------------------
#
# Giving an account access to referral data (the desk group, a Membership, "manage staff
# access", superuser status) or taking it away is for holders of "manage staff access"
# only, never on their own account. The rules sit in the forms' validation, so a raw
# POST to the admin meets them too; each saved change is logged and e-mailed.

User = get_user_model()
ROLE_GROUPS = (*roles.GROUPS, roles.STAFF_ACCESS)  # their names give the roles


class StaffAccessUserAdmin(UserAdmin):
    change_form_template = "admin/auth/user/staff_change_form.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append((_("Two-factor sign-in"), {"fields": ["second_factor"]}))
        return fieldsets

    @admin.display(description=_("second factor"))
    def second_factor(self, obj) -> str:
        device = twofactor.authenticator(obj)
        if device is None:
            return _("Not set up yet: set up at the next log-in.")
        return _("Set up on %(date)s; recovery codes left: %(count)s.") % {
            "date": date_format(timezone.localtime(device.created_at), "SHORT_DATE_FORMAT"),
            "count": twofactor.recovery_codes_left(obj),
        }

    def get_urls(self):
        return [
            path(
                "<id>/second-factor/reset/",
                self.admin_site.admin_view(self.reset_second_factor_view),
                name="auth_user_reset_second_factor",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        account = self.get_object(request, unquote(object_id))
        may_reset = account is not None and staff_access.may_reset_second_factor(
            by=request.user, account=account
        )
        extra_context = {**(extra_context or {}), "may_reset_second_factor": may_reset}
        return super().change_view(request, object_id, form_url, extra_context)

    def reset_second_factor_view(self, request, id):
        """Confirm, then reset another account's second factor (holders only)."""
        account = self.get_object(request, unquote(id))
        if account is None:
            raise Http404
        if not staff_access.may_reset_second_factor(by=request.user, account=account):
            raise PermissionDenied
        if request.method == "POST":
            staff_access.reset_second_factor(by=request.user, account=account)
            self.message_user(
                request,
                _(
                    "The second factor of %(account)s was reset: they set up a new "
                    "authenticator at their next log-in."
                )
                % {"account": account.username},
                messages.SUCCESS,
            )
            return redirect("admin:auth_user_change", account.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "account": account,
            "title": _("Reset the second factor of %(account)s?") % {"account": account.username},
        }
        return TemplateResponse(request, "admin/auth/user/reset_second_factor.html", context)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "second_factor"]
        if not request.user.is_superuser:
            readonly.append("is_superuser")  # only a superuser makes another
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        before = staff_access.current_access(obj)

        class Form(base):
            def clean(self):
                cleaned = super().clean()
                data = {**{f: getattr(obj, f, None) for f in ("is_superuser",)}, **cleaned}
                groups = cleaned.get("groups", obj.groups.all() if obj else [])
                permissions = cleaned.get(
                    "user_permissions", obj.user_permissions.all() if obj else []
                )
                after = staff_access.access_of(
                    is_superuser=bool(data.get("is_superuser")),
                    group_ids=[group.pk for group in groups],
                    permission_ids=[permission.pk for permission in permissions],
                    association_ids=(
                        obj.memberships.values_list("association_id", flat=True) if obj else []
                    ),
                )
                staff_access.check_change(by=request.user, account=obj, before=before, after=after)
                return cleaned

        Form.access_before = before
        return Form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = form.instance
        staff_access.record_change(
            by=request.user,
            account=account,
            before=getattr(form, "access_before", frozenset()),
            after=staff_access.current_access(account),
        )


class StaffAccessGroupAdmin(GroupAdmin):
    """A group's permissions are access too: only holders change groups, and never the
    permissions of a group they belong to."""

    def has_add_permission(self, request):
        return staff_access.can_manage(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return staff_access.can_manage(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return staff_access.can_manage(request.user) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class Form(base):
            def clean(self):
                cleaned = super().clean()
                own = obj is not None and request.user.groups.filter(pk=obj.pk).exists()
                renamed = obj is not None and cleaned.get("name") != obj.name
                if own and ("permissions" in self.changed_data or renamed):
                    raise ValidationError(
                        _("Nobody can change the permissions of a group they belong to.")
                    )
                if obj is not None and obj.name in ROLE_GROUPS and renamed:
                    raise ValidationError(_("The staff role groups cannot be renamed."))
                if cleaned.get("name") in ROLE_GROUPS and (obj is None or renamed):
                    raise ValidationError(_("The staff role groups cannot be renamed."))
                return cleaned

        return Form


class StaffAccessMembershipAdmin(MembershipAdmin):
    """Memberships give access to an association's referrals: holders only, never their own."""

    def has_add_permission(self, request):
        return staff_access.can_manage(request.user)

    def has_change_permission(self, request, obj=None):
        return staff_access.can_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        return staff_access.can_manage(request.user)

    def has_view_permission(self, request, obj=None):
        return staff_access.can_manage(request.user) or super().has_view_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class Form(base):
            def clean(self):
                cleaned = super().clean()
                account = cleaned.get("user")
                if account is not None and account.pk == request.user.pk:
                    raise ValidationError(
                        _(
                            "Nobody can give their own account access to referral data: ask "
                            "another holder of “manage staff access”."
                        )
                    )
                return cleaned

        return Form

    def save_model(self, request, obj, form, change):
        previous = Membership.objects.filter(pk=obj.pk).select_related("user").first()
        accounts = {obj.user_id} | ({previous.user_id} if previous else set())
        before = {pk: staff_access.current_access(User.objects.get(pk=pk)) for pk in accounts}
        super().save_model(request, obj, form, change)
        for pk, access in before.items():
            account = User.objects.get(pk=pk)
            staff_access.record_change(
                by=request.user,
                account=account,
                before=access,
                after=staff_access.current_access(account),
            )

    def delete_model(self, request, obj):
        self.delete_queryset(request, Membership.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        accounts = User.objects.filter(memberships__in=queryset).distinct()
        before = {account: staff_access.current_access(account) for account in accounts}
        super().delete_queryset(request, queryset)
        for account, access in before.items():
            staff_access.record_change(
                by=request.user,
                account=account,
                before=access,
                after=staff_access.current_access(account),
            )


class LockoutAdmin(AccessAttemptAdmin):
    """Log-in lock-outs: seen and lifted (deleted) by holders of "manage staff access"."""

    def has_view_permission(self, request, obj=None):
        return staff_access.can_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        return staff_access.can_manage(request.user)

    def has_module_permission(self, request):
        return staff_access.can_manage(request.user)

    def delete_queryset(self, request, queryset):
        for attempt in queryset:
            log_access(
                request.user,
                AccessLog.Action.CHANGE,
                detail=f"lifted log-in lock-out of {attempt.username}",
            )
        super().delete_queryset(request, queryset)

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))


for model, model_admin in (
    (User, StaffAccessUserAdmin),
    (Group, StaffAccessGroupAdmin),
    (Membership, StaffAccessMembershipAdmin),
    (AccessAttempt, LockoutAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
