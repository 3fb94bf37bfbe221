"""The staff area (/<lang>/desk/): each role sees what it may do, and nothing else."""

import re
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guichet import roles
from guichet.pagination import paginate
from guichet.roles import staff_page
from referrals.forms import FollowUpForm, ReferralForm, TransitionForm
from referrals.models import AccessLog, Referral
from referrals.workflow import (
    WorkflowError,
    allowed_moves,
    log_access,
    referral_create,
    referral_set_follow_up,
    referral_transition,
)
from services.models import Service, city_now, opening_state, opening_week
from services.search import MAX_QUERY_LENGTH, search

REFERRALS_PER_PAGE = 25
REFERENCE = re.compile(r"R-[A-Z0-9]{6}")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
SERVICES_PER_PAGE = 10


def get_referral_for_user(user, reference: str) -> Referral:
    """The referral ``user`` may see, or 404: another association's record does not exist."""
    return get_object_or_404(
        Referral.objects.visible_to(user).select_related(
            "service__location__district", "association", "need_category", "created_by"
        ),
        reference=reference.upper(),
    )


def _tabs(user) -> dict:
    """The dashboard's lists, by key: (label, condition). The desk's follow the
    rules of ReferralQuerySet; an association's, the statuses it acts on."""
    closed = Referral.objects.closed_condition()
    if roles.is_desk(user):
        return {
            "open": (_("Open"), Referral.objects.open_condition()),
            "follow_up": (_("Needs follow-up"), Referral.objects.follow_up_condition()),
            "closed": (_("Closed"), closed),
        }
    return {
        "new": (_("New, to answer"), Q(status=Referral.Status.SENT)),
        "active": (_("Accepted, in progress"), Q(status=Referral.Status.ACCEPTED)),
        "history": (_("History"), closed),
    }


@require_safe
@staff_page
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts and a paginated list; queries: counts, the page's count and rows."""
    user = request.user
    scope = Referral.objects.visible_to(user)
    is_desk = roles.is_desk(user)
    if not is_desk and not roles.association_ids(user):
        return render(request, "referrals/dashboard_admin.html")

    reference = request.GET.get("ref", "").strip().upper()[:20]
    if reference:
        found = (
            scope.filter(reference=reference).first() if REFERENCE.fullmatch(reference) else None
        )
        if found:
            return redirect("desk:referral_detail", reference=found.reference)
        messages.warning(request, _("No referral of yours has this reference."))

    tabs = _tabs(user)
    counts = scope.aggregate(**{key: Count("pk", filter=q) for key, (_l, q) in tabs.items()})
    current = request.GET.get("tab", "")
    if current not in tabs:
        current = next(iter(tabs))
    listing = (
        scope.filter(tabs[current][1])
        .select_related("service", "association", "need_category")
        .order_by("-created_at" if current != "follow_up" else "status_changed_at")
    )
    page, notice = paginate(request, listing, REFERRALS_PER_PAGE)
    if notice:
        messages.warning(request, notice)
    log_access(user, AccessLog.Action.LIST, detail=f"dashboard {current} page {page.number}")
    return render(
        request,
        "referrals/dashboard.html",
        {
            "is_desk": is_desk,
            "tabs": [
                {"key": key, "label": label, "count": counts[key], "current": key == current}
                for key, (label, _q) in tabs.items()
            ],
            "page": page,
            "query_string": f"tab={current}",
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def refer(request: HttpRequest) -> HttpResponse:
    """Refer a person: pick a service (searching the catalogue), then fill the form."""
    roles.require_desk(request.user)
    slug = request.POST.get("service") or request.GET.get("service", "")
    service = (
        Service.objects.active().select_related("association", "location").filter(slug=slug).first()
        if SLUG.fullmatch(slug)
        else None
    )
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.unknown_fields():
            return HttpResponseBadRequest(_("This form was not sent by Guichet."))
        if service is None:
            return HttpResponseBadRequest(_("This service does not exist or is not active."))
        if form.is_valid():
            data = {
                k: v
                for k, v in form.cleaned_data.items()
                if k not in ("service", "submission_token")
            }
            try:
                referral, created = referral_create(
                    service=service,
                    created_by=request.user,
                    submission_token=form.cleaned_data["submission_token"],
                    **data,
                )
            except WorkflowError as error:
                messages.error(request, error.message)
                return render(
                    request,
                    "referrals/referral_form.html",
                    {"form": form, "service": service},
                    status=error.status,
                )
            if created:
                messages.success(
                    request,
                    _("Referral %(reference)s recorded.") % {"reference": referral.reference},
                )
            else:
                messages.info(request, _("This referral was already recorded: here it is."))
            return redirect("desk:referral_detail", reference=referral.reference)
        return render(
            request, "referrals/referral_form.html", {"form": form, "service": service}, status=400
        )

    if service is None:
        return _pick_service(request)
    form = ReferralForm(
        initial={
            "service": service.slug,
            "submission_token": uuid.uuid4(),
            "preferred_language": translation.get_language(),
            "need_category": service.categories.order_by("position").first(),
        }
    )
    return render(request, "referrals/referral_form.html", {"form": form, "service": service})


def _pick_service(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH].replace("\x00", "")
    services = Service.objects.active().select_related("association")
    fallback = False
    plan = None
    if query:
        # The catalogue's own search: same words, vocabulary, corrections and fallback.
        result = search(services, query)
        plan = result.plan
        services, fallback = result.ranked(SERVICES_PER_PAGE)
    else:
        services = services.order_by(f"name_{translation.get_language()}", "slug")
    page, notice = paginate(request, services, SERVICES_PER_PAGE)
    return render(
        request,
        "referrals/pick_service.html",
        {
            "page": page,
            "q": query,
            "plan": plan,
            "fallback": fallback,
            "notice": notice,
            "query_string": urlencode({"q": query}) if query else "",
            "max_query_length": MAX_QUERY_LENGTH,
        },
    )


def _detail_context(request: HttpRequest, referral: Referral, **extra) -> dict:
    user = request.user
    return {
        "referral": referral,
        "events": referral.events.select_related("by"),
        "moves": allowed_moves(referral, user),
        "is_desk": roles.is_desk(user),
        "follow_up_form": FollowUpForm(
            initial={"follow_up_on": referral.follow_up_on, "version": referral.version}
        ),
        **extra,
    }


def render_detail(request: HttpRequest, referral: Referral, status: int = 200) -> HttpResponse:
    """Show a referral, and log that its data was seen (also when a change was refused)."""
    log_access(request.user, AccessLog.Action.VIEW, referral)
    return render(
        request, "referrals/referral_detail.html", _detail_context(request, referral), status=status
    )


@require_safe
@staff_page
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return render_detail(request, get_referral_for_user(request.user, reference))


def _change(request: HttpRequest, reference: str, form_class, apply) -> HttpResponse:
    """Apply a posted change through the workflow; show the referral again when refused.

    ``apply(referral, cleaned_data)`` makes the change and returns the success message.
    """
    referral = get_referral_for_user(request.user, reference)
    form = form_class(request.POST)
    if form.unknown_fields() or not form.is_valid():
        messages.error(request, _("This change could not be read; nothing was changed."))
        return render_detail(request, referral, status=400)
    try:
        message = apply(referral, form.cleaned_data)
    except WorkflowError as error:
        messages.error(request, error.message)
        referral.refresh_from_db()
        return render_detail(request, referral, status=error.status)
    messages.success(request, message)
    return redirect("desk:referral_detail", reference=referral.reference)


@require_POST
@staff_page
def referral_change_status(request: HttpRequest, reference: str) -> HttpResponse:
    def apply(referral: Referral, data: dict) -> str:
        referral = referral_transition(
            referral=referral,
            to_status=data["to_status"],
            by=request.user,
            version=data["version"],
            note=data["note"],
        )
        return _("Status changed to “%(status)s”.") % {"status": referral.get_status_display()}

    return _change(request, reference, TransitionForm, apply)


@require_POST
@staff_page
def referral_follow_up(request: HttpRequest, reference: str) -> HttpResponse:
    def apply(referral: Referral, data: dict) -> str:
        referral_set_follow_up(
            referral=referral,
            follow_up_on=data["follow_up_on"],
            by=request.user,
            version=data["version"],
        )
        return _("Follow-up date saved.")

    return _change(request, reference, FollowUpForm, apply)


@require_safe
@staff_page
def referral_slip(request: HttpRequest, reference: str) -> HttpResponse:
    """The slip handed to the person, in their language whatever the staff member's."""
    roles.require_desk(request.user)
    referral = get_referral_for_user(request.user, reference)
    service = referral.service
    hours = list(service.hours.all())
    log_access(request.user, AccessLog.Action.PRINT, referral)
    with translation.override(referral.preferred_language):
        response = render(
            request,
            "referrals/slip.html",
            {
                "referral": referral,
                "service": service,
                "week": opening_week(hours),
                "opening": opening_state(hours, city_now()) if hours else None,
                "slip_language": referral.preferred_language,
                "slip_bidi": translation.get_language_bidi(),
            },
        )
    return response
