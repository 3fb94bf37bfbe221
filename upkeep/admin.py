from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from associations.models import Association
from guichet import roles
from services.models import Service
from upkeep import proposals, reminders, workflow
from upkeep.forms import RejectForm
from upkeep.models import ProblemReport, Proposal, Verification, VerificationRequest


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


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Moderation: each proposal side by side with the record, approved or rejected here."""

    list_display = [
        "created_at",
        "kind",
        "subject",
        "association",
        "created_by",
        "status",
        "published_at_once",
    ]
    list_filter = ["status", "kind", "published_at_once", "association"]
    list_select_related = ["association", "service", "location", "created_by"]
    search_fields = ["service__name_fr", "service__slug", "association__name_fr"]
    date_hierarchy = "created_at"

    @admin.display(description=_("service"))
    def subject(self, proposal: Proposal) -> str:
        return proposal.subject

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # decided through the review page, which records who and when

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/approve/", wrap(self.approve_view), name="upkeep_proposal_approve"),
            path("<int:pk>/reject/", wrap(self.reject_view), name="upkeep_proposal_reject"),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        """The review page: per field and language, what the proposal was based on,
        what the record holds now, what is proposed; conflicts stand out."""
        if not roles.is_municipal_admin(request.user):
            raise PermissionDenied
        proposal = get_object_or_404(
            Proposal.objects.select_related(
                "association", "service", "location", "created_by", "decided_by"
            ),
            pk=object_id,
        )
        record = proposal.record
        current = proposals.snapshot(record) if record is not None else None
        rows = proposals.rows(proposal, current)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Review a proposal"),
            "proposal": proposal,
            "rows": rows,
            "conflicts": [row for row in rows if row.conflict]
            if proposal.status == "pending"
            else [],
            "reject_form": RejectForm(),
            "show_current": current is not None and proposal.status == "pending",
        }
        return TemplateResponse(request, "admin/upkeep/proposal_review.html", context)

    def _decide(self, request: HttpRequest, pk: int, decide) -> HttpResponse:
        if not roles.is_municipal_admin(request.user):
            raise PermissionDenied
        proposal = get_object_or_404(Proposal, pk=pk)
        review = reverse("admin:upkeep_proposal_change", args=[proposal.pk])
        try:
            message = decide(proposal)
        except workflow.AlreadyDecided:
            self.message_user(
                request, gettext("This proposal was already decided on."), messages.WARNING
            )
            return redirect(review)
        except workflow.Conflict:
            self.message_user(
                request,
                gettext(
                    "The record changed since this proposal was made. Compare the values, "
                    "then confirm that the proposal should replace them, or reject it."
                ),
                messages.ERROR,
            )
            return redirect(review)
        if message is None:
            return redirect(review)
        self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:upkeep_proposal_changelist")

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def approve(proposal):
            workflow.proposal_approve(
                proposal=proposal,
                by=request.user,
                despite_conflict=request.POST.get("despite_conflict") == "1",
            )
            return gettext("The proposal is approved and published.")

        return require_POST(lambda request: self._decide(request, pk, approve))(request)

    def reject_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def reject(proposal):
            form = RejectForm(request.POST)
            if not form.is_valid():
                self.message_user(
                    request, gettext("Give a reason to reject the proposal."), messages.ERROR
                )
                return None
            workflow.proposal_reject(
                proposal=proposal, by=request.user, reason=form.cleaned_data["reason"]
            )
            return gettext("The proposal is rejected; its author can read the reason.")

        return require_POST(lambda request: self._decide(request, pk, reject))(request)


@admin.register(VerificationRequest)
class VerificationRequestAdmin(admin.ModelAdmin):
    """Reminders sent; its "freshness" page shows each association's state at a glance."""

    list_display = ["sent_at", "association", "stale_services", "recipients"]
    list_filter = ["association"]
    list_select_related = ["association"]
    date_hierarchy = "sent_at"
    readonly_fields = ["association", "sent_at", "stale_services", "recipients"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("freshness/", wrap(self.freshness_view), name="upkeep_freshness"),
            *super().get_urls(),
        ]

    def freshness_view(self, request: HttpRequest) -> HttpResponse:
        """Per association: services stale, pending proposals, open reports, last
        reminder, each linked to the filtered list. Six queries."""
        if not roles.is_municipal_admin(request.user):
            raise PermissionDenied
        published = Service.objects.published()
        due = dict(
            reminders.due_for_review()
            .values_list("association_id")
            .annotate(n=Count("pk"))
            .values_list("association_id", "n")
        )
        stale = dict(
            published.stale()
            .values_list("association_id")
            .annotate(n=Count("pk"))
            .values_list("association_id", "n")
        )
        pending = dict(
            Proposal.objects.pending()
            .values_list("association_id")
            .annotate(n=Count("pk"))
            .values_list("association_id", "n")
        )
        reports = dict(
            ProblemReport.objects.open()
            .values_list("service__association_id")
            .annotate(n=Count("pk"))
            .values_list("service__association_id", "n")
        )
        last = dict(
            VerificationRequest.objects.values_list("association_id")
            .annotate(at=Max("sent_at"))
            .values_list("association_id", "at")
        )
        rows = [
            {
                "association": association,
                "due": due.get(association.pk, 0),
                "stale": stale.get(association.pk, 0),
                "pending": pending.get(association.pk, 0),
                "reports": reports.get(association.pk, 0),
                "reminded": last.get(association.pk),
            }
            for association in Association.objects.active().order_by("slug")
        ]
        rows.sort(key=lambda row: (-row["stale"], -row["due"], -row["pending"], -row["reports"]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Freshness of the catalogue"),
            "rows": rows,
            "months": settings.VERIFY_AFTER_MONTHS,
        }
        return TemplateResponse(request, "admin/upkeep/freshness.html", context)
