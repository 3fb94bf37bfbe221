from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from guichet import roles
from guichet.filtering import bind_filters
from guichet.pagination import in_key_order, paginate, paginate_by_key
from services.filters import ServiceFilter
from services.models import Category, Service, Weekday, city_now, opening_state

SERVICES_PER_PAGE = 20
# Long texts the list does not show: not fetched, which halves the page query's cost.
LIST_DEFERRED = [
    "search_vector",
    *(
        f"{field}_{code}"
        for field in ("description", "eligibility", "required_documents", "fees")
        for code in ("ar", "fr", "es", "en")
    ),
    *(f"association__description_{code}" for code in ("ar", "fr", "es", "en")),
    *(
        f"location__{field}_{code}"
        for field in ("accessibility", "transport")
        for code in ("ar", "fr", "es", "en")
    ),
]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front page: search, categories with their number of services, how the desk works."""
    active = Q(services__status=Service.Status.ACTIVE, services__association__is_active=True)
    categories = Category.objects.annotate(service_count=Count("services", filter=active))
    return render(request, "services/home.html", {"categories": categories})


@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the active services.

    Queries: the filters' four choice lists; with a search term, the typo lookup, the
    page's keys with the number of matches and the page's rows (a page number past the
    end adds a count); without one, the count and the page; then the page's languages
    and opening hours. At most ten whatever the number of results.
    """
    filterset, notices = bind_filters(ServiceFilter, request.GET, Service.objects.active())
    services = filterset.qs  # runs the search, which sets filterset.correction
    if not filterset.form.cleaned_data.get("q"):
        services = services.order_by(f"name_{get_language()}", "slug")

    def for_the_page(rows):
        return (
            rows.select_related("association", "location__district")
            .prefetch_related("languages", "hours")
            .defer(*LIST_DEFERRED)
        )

    if filterset.form.cleaned_data.get("q"):
        # Ranked results: the keys of the page first, then its rows (see paginate_by_key).
        page, page_notice = paginate_by_key(
            request,
            services,
            SERVICES_PER_PAGE,
            lambda keys: in_key_order(for_the_page(Service.objects.filter(pk__in=keys)), keys),
        )
    else:
        # In name order, an index finds the first page without sorting every match.
        page, page_notice = paginate(request, for_the_page(services), SERVICES_PER_PAGE)
    if page_notice:
        notices.append(page_notice)
    now = city_now()
    for service in page.object_list:
        service.opening = opening_state(list(service.hours.all()), now)
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
    today = now.weekday()
    week = [
        {
            "label": label,
            "today": day == today,
            "slots": [slot for slot in hours if slot.weekday == day],
        }
        for day, label in Weekday.choices
    ]
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "opening": opening_state(hours, now) if hours else None,
            "week": week,
            "now": now,
            "can_refer": roles.is_desk(request.user),
        },
    )
