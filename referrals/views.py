"""The staff area (/<lang>/desk/): each role sees what it may do, and nothing else."""

import re
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guichet import roles
from guichet.pagination import paginate
from guichet.qr import qr_svg
from guichet.roles import staff_page
from referrals.forms import FollowUpForm, PreferencesForm, ReferralForm, TransitionForm
from referrals.models import AccessLog, Referral, StaffPreferences
from referrals.workflow import (
    NeedsConfirmation,
    WorkflowError,
    allowed_moves,
    log_access,
    recent_referral_to,
    referral_create,
    referral_set_follow_up,
    referral_transition,
)
from services.models import Service, city_now, opening_state, opening_week
from services.search import MAX_QUERY_LENGTH, search

REFERRALS_PER_PAGE = 25
# What staff type to find a referral: a reference, with or without "R-", any case and
# spacing, or a client code.
TYPED_REFERENCE = re.compile(r"(?:R-?)?([A-Z0-9]{6})")
CLIENT_CODE = re.compile(r"[A-Z0-9-]{4,20}")
LONGEST_SEARCH = 100
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

    typed = request.GET.get("q", "") or request.GET.get("ref", "")
    if typed.strip():
        found = find(request, scope, typed)
        if found is not None:
            return found

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


def find(request: HttpRequest, scope, typed: str) -> HttpResponse | None:
    """Answer a search by reference or client code, within what the user may see.

    A reference leads to its referral; a client code to the person's page (desk) or to
    the list of the association's referrals with that code. Return None, with a
    message, when nothing matches.
    """
    text = "".join(typed[:LONGEST_SEARCH].split()).upper()
    reference = TYPED_REFERENCE.fullmatch(text)
    if reference:
        found = scope.filter(reference="R-" + reference[1]).first()
        if found is not None:
            return redirect("desk:referral_detail", reference=found.reference)
    if CLIENT_CODE.fullmatch(text) and scope.filter(client_code=text).exists():
        if roles.is_desk(request.user):
            return redirect("desk:client", client_code=text)
        return render_client_referrals(request, scope, text, "referrals/search_results.html")
    messages.warning(request, _("No referral of yours has this reference or client code."))
    return None


def render_client_referrals(request: HttpRequest, scope, client_code: str, template: str):
    """The referrals of one client code in ``scope``, newest first; each one logged."""
    listing = (
        scope.filter(client_code=client_code)
        .select_related("service", "association", "need_category")
        .order_by("-created_at")
    )
    page, notice = paginate(request, listing, REFERRALS_PER_PAGE)
    if notice:
        messages.warning(request, notice)
    if not page.object_list:
        raise Http404
    for referral in page.object_list:
        log_access(request.user, AccessLog.Action.LIST, referral, "client code search")
    latest = page.object_list[0] if page.number == 1 else None
    return render(
        request,
        template,
        {
            "client_code": client_code,
            "page": page,
            "latest": latest,
            "is_desk": roles.is_desk(request.user),
            "query_string": urlencode({"q": client_code}),
        },
    )


@require_safe
@staff_page
def client(request: HttpRequest, client_code: str) -> HttpResponse:
    """Every referral of one person (by client code), newest first: desk staff only."""
    roles.require_desk(request.user)
    if not CLIENT_CODE.fullmatch(client_code):
        raise Http404
    return render_client_referrals(
        request, Referral.objects.visible_to(request.user), client_code, "referrals/client.html"
    )


def _last_language(client_code: str) -> str | None:
    """The slip language the person chose last time, by client code."""
    return (
        Referral.objects.filter(client_code=client_code)
        .order_by("-created_at")
        .values_list("preferred_language", flat=True)
        .first()
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
                if k not in ("service", "submission_token", "repeat_confirmed")
            }
            try:
                referral, created = referral_create(
                    service=service,
                    created_by=request.user,
                    submission_token=form.cleaned_data["submission_token"],
                    repeat_confirmed=form.cleaned_data["repeat_confirmed"],
                    **data,
                )
            except NeedsConfirmation as question:
                return render(
                    request,
                    "referrals/referral_form.html",
                    {"form": form, "service": service, "recent": question.recent, "ask": True},
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
                messages.info(
                    request,
                    _(
                        "This form had already been sent and recorded referral %(reference)s, "
                        "shown here. Nothing was recorded twice."
                    )
                    % {"reference": referral.reference},
                )
            return redirect("desk:referral_detail", reference=referral.reference)
        return render(
            request,
            "referrals/referral_form.html",
            {"form": form, "service": service, "recent": recent_referral_to(service, request.user)},
            status=400,
        )

    client_code = "".join(request.GET.get("client", "")[:40].split()).upper()
    if not CLIENT_CODE.fullmatch(client_code):
        client_code = ""
    if service is None:
        return _pick_service(request, client_code)
    initial = {
        "service": service.slug,
        "submission_token": uuid.uuid4(),
        "preferred_language": (client_code and _last_language(client_code))
        or translation.get_language(),
        "need_category": service.categories.order_by("position").first(),
    }
    if client_code:
        initial["client_code"] = client_code
    form = ReferralForm(initial=initial)
    return render(
        request,
        "referrals/referral_form.html",
        # The back button, then Save: say at once what was recorded minutes ago.
        {"form": form, "service": service, "recent": recent_referral_to(service, request.user)},
    )


def _pick_service(request: HttpRequest, client_code: str = "") -> HttpResponse:
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
            "client_code": client_code,
            "query_string": urlencode(
                {key: value for key, value in (("q", query), ("client", client_code)) if value}
            ),
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
        "reasons": Referral.Reason.choices,
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
    if request.POST.get("to_status") == Referral.Status.CANCELLED and not request.POST.get(
        "confirmed"
    ):
        # Cancelling is never one click away: it goes through the confirmation page.
        return redirect("desk:referral_cancel", reference=reference)

    def apply(referral: Referral, data: dict) -> str:
        referral = referral_transition(
            referral=referral,
            to_status=data["to_status"],
            by=request.user,
            version=data["version"],
            note=data["note"],
            reason_code=data["reason"],
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
def referral_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask the desk to confirm a cancellation; the form posts to the status change."""
    roles.require_desk(request.user)
    referral = get_referral_for_user(request.user, reference)
    if not any(to == Referral.Status.CANCELLED for to, _m in allowed_moves(referral, request.user)):
        messages.error(request, _("This referral can no longer be cancelled."))
        return redirect("desk:referral_detail", reference=referral.reference)
    log_access(request.user, AccessLog.Action.VIEW, referral, "cancel confirmation")
    return render(request, "referrals/cancel_confirm.html", {"referral": referral})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def preferences(request: HttpRequest) -> HttpResponse:
    """A staff member's own choices: the language of their e-mails, and e-mails or not."""
    current, _created = StaffPreferences.objects.get_or_create(
        user=request.user, defaults={"language": translation.get_language()}
    )
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=current)
        if form.unknown_fields():
            return HttpResponseBadRequest(_("This form was not sent by Guichet."))
        if form.is_valid():
            form.save()
            messages.success(request, _("Your preferences were saved."))
            return redirect("desk:preferences")
        return render(request, "referrals/preferences.html", {"form": form}, status=400)
    return render(
        request, "referrals/preferences.html", {"form": PreferencesForm(instance=current)}
    )


@require_safe
@staff_page
def referral_slip(request: HttpRequest, reference: str) -> HttpResponse:
    """The slip handed to the person, in their language whatever the staff member's."""
    roles.require_desk(request.user)
    referral = get_referral_for_user(request.user, reference)
    if not referral.slip_printable:
        messages.warning(request, _("This referral is closed: there is no slip to print."))
        return redirect("desk:referral_detail", reference=referral.reference)
    service = referral.service
    hours = list(service.hours.all())
    log_access(request.user, AccessLog.Action.PRINT, referral)
    with translation.override(referral.preferred_language):
        # The public page in the person's language, drawn here: no request elsewhere.
        address = request.build_absolute_uri(service.get_absolute_url())
        response = render(
            request,
            "referrals/slip.html",
            {
                "referral": referral,
                "service": service,
                "address": address,
                "qr_code": qr_svg(
                    address, title=_("QR code of the service's page: %(url)s") % {"url": address}
                ),
                "week": opening_week(hours),
                "opening": opening_state(hours, city_now()) if hours else None,
                "slip_language": referral.preferred_language,
                "slip_bidi": translation.get_language_bidi(),
            },
        )
    return response
