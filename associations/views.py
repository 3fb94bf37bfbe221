from django.apps import apps
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from associations.filters import AssociationFilter
from associations.models import Association, Location
from guichet.filtering import bind_filters
from guichet.pagination import paginate

ASSOCIATIONS_PER_PAGE = 20


def _services():
    """The services' manager, reached without importing services (see docs/architecture.md)."""
    return apps.get_model("services", "Service").objects


@require_safe
def association_list(request: HttpRequest) -> HttpResponse:
    """The directory. Queries: two choice lists, the count and the page — four."""
    associations = Association.objects.active().annotate(
        service_count=Count("services", filter=_services().active_condition("services__"))
    )
    filterset, notices = bind_filters(AssociationFilter, request.GET, associations)
    page, page_notice = paginate(
        request, filterset.qs.order_by(f"name_{get_language()}", "slug"), ASSOCIATIONS_PER_PAGE
    )
    if page_notice:
        notices.append(page_notice)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "associations/association_list.html",
        {"filter": filterset, "page": page, "notices": notices, "query_string": query.urlencode()},
    )


@require_safe
def association_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One association with its places and active services — three queries."""
    association = get_object_or_404(
        Association.objects.active().prefetch_related(
            Prefetch("locations", queryset=Location.objects.select_related("district")),
            Prefetch(
                "services",
                queryset=_services().active().order_by(f"name_{get_language()}"),
                to_attr="active_services",
            ),
        ),
        slug=slug,
    )
    return render(request, "associations/association_detail.html", {"association": association})
