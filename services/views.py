from django.db.models import Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guichet import roles
from guichet.catalogue import remembered
from guichet.filtering import bind_filters
from guichet.pagecache import visitor_page
from guichet.pagination import paginate
from guichet.qr import qr_svg
from services.cards import service_cards
from services.filters import ServiceFilter
from services.models import (
    Category,
    Service,
    city_now,
    opening_state,
    opening_week,
    opens_phrase,
)
from services.search import MAX_QUERY_LENGTH, SearchResult, search
from services.search.engine import WORD, paginate_search

SERVICES_PER_PAGE = 20


@visitor_page()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front page: search, categories with their number of services, how the desk works.

    The counts change only with the catalogue: they are computed once per catalogue
    version and language (a count over every service, about 30 ms at 10,000 services)
    and read from the cache otherwise — one query for the version, shared with the
    page cache.
    """
    return render(
        request,
        "services/home.html",
        {"categories": _categories_with_counts(), "max_query_length": MAX_QUERY_LENGTH},
    )


def _categories_with_counts() -> list[Category]:
    """Every category with its number of public services, kept until the catalogue
    changes (shared by the home page and the empty list)."""
    return remembered(
        f"home:categories:{get_language()}",
        lambda: list(Category.objects.with_service_counts()),
    )


def _list_parameters() -> list[str]:
    return [*ServiceFilter.base_filters, "page"]


@visitor_page(params=_list_parameters, free_text={"q"}, time_dependent=True)
@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the active services.

    Queries: the filters' four choice lists (unless cached); with a search term, the
    lookup of its words (stop words, typos, vocabulary), then the page's keys with the
    number of matches, and a second key query when fewer than a page match every word
    (the list goes on with services matching some); without one, the count and the
    page's keys; then the cards' services, opening hours and languages. At most ten
    whatever the number of results.
    """
    filterset, notices = bind_filters(ServiceFilter, request.GET, Service.objects.active())
    services = filterset.qs
    data = filterset.form.cleaned_data
    now = city_now()
    context = {"filter": filterset, "notices": notices, "fallback": False, "plan": None}
    if data.get("q"):
        result = search(services, data["q"], correct=not data.get("exact"))
        found = paginate_search(
            request, result, SERVICES_PER_PAGE, lambda keys: service_cards(keys, now)
        )
        page, page_notice = found.page, found.notice
        context.update(
            plan=result.plan,
            fallback=found.fallback,
            exact_cards=page.object_list[: found.exact_on_page],
            partial_cards=page.object_list[found.exact_on_page :],
            **_correction_links(request, result.plan),
        )
    else:
        # In name order an index finds the page, and COUNT needs no ordering.
        services = services.order_by(f"name_{get_language()}", "slug")
        page, page_notice = paginate(
            request, services.values_list("pk", flat=True), SERVICES_PER_PAGE
        )
        page.object_list = service_cards(list(page.object_list), now)
        context["exact_cards"] = page.object_list
    if page_notice:
        notices.append(page_notice)
    if not page.paginator.count:
        context.update(_help_when_empty(request, context["plan"], data.get("open_now"), now))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        page=page,
        query_string=query.urlencode(),
        filtered=any(v for k, v in data.items() if k not in ("q", "exact")),
    )
    return render(request, "services/service_list.html", context)


NEXT_SHOWN = 5  # services listed as opening next, and as open at night


def _help_when_empty(request: HttpRequest, plan, open_now: bool, now) -> dict:
    """What an empty list shows: every category with its number of services and, when
    "open now" emptied it, the services of the same search that open next (soonest
    first) and those open at night. The counts are cached (see ``home``); two queries
    with "open now"."""
    help = {"categories": _categories_with_counts()}
    if not open_now or (plan is not None and not plan.searchable):
        return help
    params = request.GET.copy()
    for name in ("open_now", "page"):
        params.pop(name, None)
    filterset, _notices = bind_filters(ServiceFilter, params, Service.objects.active())
    services = filterset.qs
    if plan is not None:
        found = SearchResult(plan, services)
        matching = found.some_words if plan.can_fall_back else found.all_words
        services = Service.objects.filter(pk__in=matching.values("pk"))
    soonest = services.opening_next(now).values_list("pk", "opens_in")[:NEXT_SHOWN]
    night = (
        services.open_at_night()
        .annotate(opens_in=Value(-1))
        .order_by("slug")
        .values_list("pk", "opens_in")[:NEXT_SHOWN]
    )
    rows = list(soonest.union(night, all=True))
    cards = {card.key: card for card in service_cards(list({pk for pk, _w in rows}), now)}
    help["opening_next"] = [cards[pk] for pk, wait in rows if wait >= 0 and pk in cards]
    help["open_at_night"] = [cards[pk] for pk, wait in rows if wait < 0 and pk in cards]
    return help


def _correction_links(request: HttpRequest, plan) -> dict:
    """The corrected query, its corrected words as links, and the link to search the
    words as typed instead."""
    if not plan.corrections:
        return {}

    def url(text: str) -> str:
        query = request.GET.copy()
        for name in ("page", "q", "exact"):
            query.pop(name, None)
        query["q"] = text
        query["exact"] = "1"
        return f"{reverse('services:list')}?{query.urlencode()}"

    corrected = {c.typed: c.corrected for c in plan.corrections}
    link = url(plan.corrected_text)
    pieces, last = [], 0
    for match in WORD.finditer(plan.text):
        if match.group(0) in corrected:
            pieces.append(escape(plan.text[last : match.start()]))
            pieces.append(
                format_html('<a href="{}"><mark>{}</mark></a>', link, corrected[match.group(0)])
            )
            last = match.end()
    pieces.append(escape(plan.text[last:]))
    return {
        "corrected_html": format_html_join("", "{}", ((piece,) for piece in pieces)),
        "as_typed_url": url(plan.text),
    }


@visitor_page(time_dependent=True)
@require_safe
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One service: what, who for, what to bring, when it is open, where.

    Queries: the service with its association and location, then its categories,
    audiences, languages and opening hours — five.
    """
    service = get_object_or_404(
        Service.objects.published()
        .select_related("association", "location__district")
        .prefetch_related("categories", "audiences", "languages", "hours"),
        slug=slug,
    )
    now = city_now()
    hours = list(service.hours.all())
    opening = opening_state(hours, now) if hours else None
    if opening and opening["opens"]:
        opening["phrase"] = opens_phrase(opening["opens"], now)
    address = request.build_absolute_uri(service.get_absolute_url())
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "opening": opening,
            "week": opening_week(hours, today=now.weekday()),
            "now": now,
            # Only an active service takes referrals (the desk's picker lists those alone).
            "can_refer": roles.is_desk(request.user) and service.status == Service.Status.ACTIVE,
            "qr_code": qr_svg(address, title=_("QR code of this page: %(url)s") % {"url": address}),
            "address": address,
        },
    )
