from django.contrib import admin

from referrals.models import AccessLog


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
