from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from associations.models import Association, Location
from guichet import roles
from guichet.clientip import client_address
from guichet.ratelimit import allow
from services.models import Service
from upkeep import proposals, workflow
from upkeep.forms import (
    AssociationProposalForm,
    CloseProposalForm,
    CloseReportForm,
    LocationProposalForm,
    ProblemReportForm,
    ServiceProposalForm,
)
from upkeep.models import ProblemReport, Proposal

REPORT_WINDOW_SECONDS = 60 * 60


# --- Public: report a problem ---------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_problem(request: HttpRequest, slug: str) -> HttpResponse:
    """A visitor says what is wrong with a service's page: no account, nothing personal."""
    service = get_object_or_404(
        Service.objects.published().select_related("association"), slug=slug
    )
    form = ProblemReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not allow(
            "problem-report",
            client_address(request),
            limit=settings.PROBLEM_REPORTS_PER_HOUR,
            window_seconds=REPORT_WINDOW_SECONDS,
        ):
            status = 429
            form.add_error(
                None, _("Too many reports were sent from your connection. Try again in an hour.")
            )
        else:
            if not form.cleaned_data["website"]:  # a robot filled the honeypot: say thanks only
                workflow.report_create(
                    service=service,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    language=get_language(),
                )
            return redirect("upkeep:report_problem_sent", slug=service.slug)
    elif request.method == "POST":
        status = 400
    return render(
        request, "upkeep/report_problem.html", {"service": service, "form": form}, status=status
    )


@require_safe
def report_problem_sent(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.published(), slug=slug)
    return render(request, "upkeep/report_problem_sent.html", {"service": service})


# --- Association staff ------------------------------------------------------------------


def _require_association_staff(user) -> set[int]:
    """Return the user's associations; refuse (403) anyone who works for none."""
    ids = roles.association_ids(user)
    if not ids:
        raise PermissionDenied
    return ids


@require_safe
@roles.staff_page
def our_services(request: HttpRequest) -> HttpResponse:
    """The association's services, how fresh each one is, and "still correct" buttons.

    Queries: the memberships (roles), the services with their open reports counted.
    """
    ids = _require_association_staff(request.user)
    services = (
        Service.objects.filter(association_id__in=ids)
        .select_related("association")
        .annotate(
            open_reports=Count(
                "problem_reports", filter=Q(problem_reports__status=ProblemReport.Status.OPEN)
            )
        )
        .order_by("association__slug", f"name_{get_language()}", "slug")
    )
    own_proposals = (
        Proposal.objects.for_association(ids)
        .select_related("association", "service", "location", "created_by")
        .order_by("-created_at")[:30]
    )
    associations = Association.objects.filter(pk__in=ids).prefetch_related("locations")
    return render(
        request,
        "upkeep/our_services.html",
        {"services": services, "proposals": own_proposals, "associations": associations},
    )


@require_POST
@roles.staff_page
def confirm_service(request: HttpRequest, slug: str) -> HttpResponse:
    """One click: the service's information is still correct; it is verified today."""
    ids = _require_association_staff(request.user)
    service = get_object_or_404(Service.objects.filter(association_id__in=ids), slug=slug)
    workflow.service_confirm(service=service, by=request.user)
    messages.success(
        request, _("Thank you: “%(service)s” is marked as verified today.") % {"service": service}
    )
    return redirect("upkeep:our_services")


@require_safe
@roles.staff_page
def reports(request: HttpRequest) -> HttpResponse:
    """Reports from the public about the association's services: open ones first."""
    ids = _require_association_staff(request.user)
    scope = ProblemReport.objects.for_association(ids).select_related("service", "closed_by")
    return render(
        request,
        "upkeep/reports.html",
        {
            "open_reports": scope.open(),
            "closed_reports": scope.filter(status=ProblemReport.Status.CLOSED)[:20],
            "close_form": CloseReportForm(),
        },
    )


@require_POST
@roles.staff_page
def close_report(request: HttpRequest, pk: int) -> HttpResponse:
    ids = _require_association_staff(request.user)
    report = get_object_or_404(ProblemReport.objects.for_association(ids), pk=pk)
    form = CloseReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the report was handled."))
        return redirect("upkeep:reports")
    closed = workflow.report_close(
        report=report,
        by=request.user,
        resolution=form.cleaned_data["resolution"],
        note=form.cleaned_data["note"],
    )
    if closed:
        messages.success(request, _("The report is closed."))
    else:
        messages.info(request, _("Someone had already closed this report."))
    return redirect("upkeep:reports")


# --- Proposals ----------------------------------------------------------------------


def _own_service(user, slug: str) -> Service:
    """One of the user's associations' services; another association's answers 404."""
    ids = _require_association_staff(user)
    return get_object_or_404(
        Service.objects.filter(association_id__in=ids).select_related("association"), slug=slug
    )


def _show_record_errors(form, error: ValidationError) -> None:
    """Put the record's own errors beside the form's fields they are about (a translated
    field's beside its French, the required language), the rest above the form."""
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for name, found in errors.items():
        field = next((f for f in (name, f"{name}_fr") if f in form.fields), None)
        form.add_error(field, ValidationError(found))


def _propose(request, form_class, *, association, kind, record=None, template, context):
    """Show ``form_class`` with ``record``'s values; on a valid POST, record the proposal
    (``workflow.proposal_create`` keeps only the fields of the record's shape)."""
    initial = form_class.initial_from(proposals.snapshot(record)) if record is not None else None
    form = form_class(request.POST or None, association=association, initial=initial)
    context = {**context, "form": form, "association": association}
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        proposal = workflow.proposal_create(
            association=association,
            by=request.user,
            kind=kind,
            proposed=form.values(),
            service=record if isinstance(record, Service) else None,
            location=record if isinstance(record, Location) else None,
            message=form.cleaned_data["message"],
        )
    except workflow.NothingChanged as error:
        messages.warning(request, " ".join(error.messages))
        return render(request, template, context)
    except ValidationError as error:  # values the record itself refuses (out of range…)
        _show_record_errors(form, error)
        return render(request, template, context, status=400)
    _say_proposed(request, proposal)
    return redirect("upkeep:our_services")


def _own_association(user, wanted: str = "") -> Association:
    """The user's association named by ``wanted`` (a slug), else their first; never
    another's: a slug that is not theirs falls back to their own."""
    ids = _require_association_staff(user)
    own = Association.objects.filter(pk__in=ids).order_by("slug")
    return (own.filter(slug=wanted).first() if wanted else None) or own.first()


@require_http_methods(["GET", "HEAD", "POST"])
@roles.staff_page
def propose_change(request: HttpRequest, slug: str) -> HttpResponse:
    """The service's information in four languages; saving proposes, nothing public changes."""
    service = _own_service(request.user, slug)
    return _propose(
        request,
        ServiceProposalForm,
        association=service.association,
        kind=Proposal.Kind.CHANGE,
        record=service,
        template="upkeep/propose.html",
        context={"service": service},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@roles.staff_page
def propose_new(request: HttpRequest) -> HttpResponse:
    """A new service for the user's association (the first, when they have several:
    ``?association=<slug>`` chooses among their own)."""
    return _propose(
        request,
        ServiceProposalForm,
        association=_own_association(request.user, request.GET.get("association", "")),
        kind=Proposal.Kind.NEW,
        template="upkeep/propose.html",
        context={},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@roles.staff_page
def propose_association(request: HttpRequest, slug: str) -> HttpResponse:
    """The association's own name, description and contacts; another's answers 404."""
    ids = _require_association_staff(request.user)
    association = get_object_or_404(Association.objects.filter(pk__in=ids), slug=slug)
    return _propose(
        request,
        AssociationProposalForm,
        association=association,
        kind=Proposal.Kind.ASSOCIATION,
        record=association,
        template="upkeep/propose_record.html",
        context={"title": _("Propose changes to the association")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@roles.staff_page
def propose_location(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the association's places; another association's answers 404."""
    ids = _require_association_staff(request.user)
    location = get_object_or_404(
        Location.objects.filter(association_id__in=ids).select_related("association"), pk=pk
    )
    return _propose(
        request,
        LocationProposalForm,
        association=location.association,
        kind=Proposal.Kind.LOCATION,
        record=location,
        template="upkeep/propose_record.html",
        context={"title": _("Propose changes to a place"), "location": location},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@roles.staff_page
def propose_new_location(request: HttpRequest) -> HttpResponse:
    """A new place for the user's association (``?association=<slug>`` among their own)."""
    return _propose(
        request,
        LocationProposalForm,
        association=_own_association(request.user, request.GET.get("association", "")),
        kind=Proposal.Kind.NEW_LOCATION,
        template="upkeep/propose_record.html",
        context={"title": _("Propose a new place")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@roles.staff_page
def propose_close(request: HttpRequest, slug: str) -> HttpResponse:
    service = _own_service(request.user, slug)
    form = CloseProposalForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = workflow.proposal_create(
                    association=service.association,
                    service=service,
                    by=request.user,
                    kind=Proposal.Kind.CLOSE,
                    proposed={"status": proposals.CLOSING[form.cleaned_data["mode"]]},
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                messages.warning(request, " ".join(error.messages))
                return redirect("upkeep:our_services")
            _say_proposed(request, proposal)
            return redirect("upkeep:our_services")
        return render(
            request, "upkeep/propose_close.html", {"form": form, "service": service}, status=400
        )
    return render(request, "upkeep/propose_close.html", {"form": form, "service": service})


def _say_proposed(request, proposal: Proposal) -> None:
    if proposal.published_at_once:
        messages.success(request, _("Thank you: your change is published."))
    else:
        messages.success(
            request,
            _("Thank you: your proposal is sent to the city. It will be published once reviewed."),
        )
