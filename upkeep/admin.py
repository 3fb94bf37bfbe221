from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from upkeep import workflow
from upkeep.models import ProblemReport, Verification


def _close(modeladmin, request, queryset, resolution: str) -> None:
    closed = sum(
        workflow.report_close(report=report, by=request.user, resolution=resolution)
        for report in queryset.open().select_related("service")
    )
    modeladmin.message_user(
        request,
        ngettext("%(count)d report closed.", "%(count)d reports closed.", closed)
        % {"count": closed},
        messages.SUCCESS,
    )


@admin.action(description=_("Close the selected reports: corrected"))
def close_corrected(modeladmin, request, queryset) -> None:
    _close(modeladmin, request, queryset, ProblemReport.Resolution.CORRECTED)


@admin.action(description=_("Close the selected reports: checked, nothing to change"))
def close_no_change(modeladmin, request, queryset) -> None:
    _close(modeladmin, request, queryset, ProblemReport.Resolution.NO_CHANGE)


@admin.action(description=_("Close the selected reports: not about the service, or abuse"))
def close_not_relevant(modeladmin, request, queryset) -> None:
    _close(modeladmin, request, queryset, ProblemReport.Resolution.NOT_RELEVANT)


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    """Reports from the public: read, then closed by an action that records who and how."""

    list_display = ["created_at", "service", "association", "kind", "status", "resolution"]
    list_filter = ["status", "kind", "resolution", "service__association"]
    search_fields = ["service__name_fr", "service__slug", "text"]
    list_select_related = ["service__association", "closed_by"]
    date_hierarchy = "created_at"
    actions = [close_corrected, close_no_change, close_not_relevant]
    readonly_fields = [
        "service",
        "kind",
        "text",
        "language",
        "created_at",
        "status",
        "resolution",
        "closing_note",
        "closed_by",
        "closed_at",
    ]

    @admin.display(description=_("association"), ordering="service__association__slug")
    def association(self, report):
        return report.service.association

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # closed through the actions, which record who and how


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    list_display = ["at", "service", "by", "how"]
    list_filter = ["how", "service__association"]
    list_select_related = ["service", "by"]
    date_hierarchy = "at"
    readonly_fields = ["service", "by", "at", "how"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
