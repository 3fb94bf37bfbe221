from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from guichet import roles
from guichet.filtering import bind_filters
from guichet.pagination import paginate, paginate_by_key
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

SERVICES_PER_PAGE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front page: search, categories with their number of services, how the desk works."""
    active = Service.objects.active_condition(through="services__")
    categories = Category.objects.annotate(service_count=Count("services", filter=active))
    return render(request, "services/home.html", {"categories": categories})


@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the active services.

    Queries: the filters' four choice lists (unless cached); with a search term, the
    typo lookup, then the page's keys with the number of matches (a page number past
    the end adds a count); without one, the count and the page's keys; then the cards'
    services, opening hours and languages. At most ten whatever the number of results.
    """
    filterset, notices = bind_filters(ServiceFilter, request.GET, Service.objects.active())
    services = filterset.qs  # runs the search, which sets filterset.correction
    now = city_now()
    if filterset.form.cleaned_data.get("q"):
        # Ranked: the page's keys and the count in one query (see paginate_by_key).
        page, page_notice = paginate_by_key(
            request, services, SERVICES_PER_PAGE, lambda keys: service_cards(keys, now)
        )
    else:
        # In name order an index finds the page, and COUNT needs no ordering.
        services = services.order_by(f"name_{get_language()}", "slug")
        page, page_notice = paginate(
            request, services.values_list("pk", flat=True), SERVICES_PER_PAGE
        )
        page.object_list = service_cards(list(page.object_list), now)
    if page_notice:
        notices.append(page_notice)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/service_list.html",
        {
            "filter": filterset,
            "correction": filterset.correction,
            "page": page,
            "notices": notices,
            "query_string": query.urlencode(),
            "filtered": any(v for k, v in filterset.form.cleaned_data.items() if k != "q"),
        },
    )


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
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "opening": opening,
            "week": opening_week(hours, today=now.weekday()),
            "now": now,
            "can_refer": roles.is_desk(request.user),
        },
    )
