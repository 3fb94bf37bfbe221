"""Forgiving pagination: a bad page number shows a page and says why, never a 500."""

from collections.abc import Callable, Sequence

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

BAD_NUMBER = gettext_noop("That page number is not valid; here is the first page.")
MAX_PAGE = 1_000_000
PAST_THE_END = gettext_noop("There are fewer pages than that; here is the last one.")


def _requested_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except (TypeError, ValueError):
        return 0


def requested_page(request: HttpRequest) -> tuple[int, str]:
    """Return the page number asked for (1 when unusable) and a notice when unusable."""
    number = _requested_number(request)
    if number < 1:
        return 1, _(BAD_NUMBER)
    return number, ""


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int) -> tuple[Page, str]:
    """Return the requested page of ``queryset`` and a notice when the number was unusable.

    Costs a COUNT query plus the page's own query.
    """
    paginator = Paginator(queryset, per_page)
    number = _requested_number(request)
    if number < 1:
        return paginator.page(1), _(BAD_NUMBER)
    if number > paginator.num_pages:
        return paginator.page(paginator.num_pages), _(PAST_THE_END)
    return paginator.page(number), ""


def paginate_by_key(
    request: HttpRequest,
    queryset: QuerySet,
    per_page: int,
    fetch: Callable[[list], Sequence],
) -> tuple[Page, str]:
    """Like ``paginate``, for a costly filtered and ordered ``queryset``: one narrow query
    returns the page's primary keys together with the number of matches (a window
    count), then ``fetch(keys)`` loads those rows, in that order, with whatever they
    need to be shown.

    The matching, ranking and sorting run once, on keys only, instead of once for a
    COUNT and again for a page of whole rows. A page past the end costs a COUNT and a
    second key query, as it must find the last page.
    """
    number, notice = requested_page(request)
    keyed = queryset.annotate(_matches=Window(Count("pk"))).values_list("pk", "_matches")
    # A number no list could reach (PostgreSQL's OFFSET would overflow) is past the end.
    rows = list(keyed[(number - 1) * per_page : number * per_page]) if number <= MAX_PAGE else []
    if rows:
        total = rows[0][1]
    elif number == 1:
        total = 0
    else:
        total = queryset.count()
        last = max(1, -(-total // per_page))
        number, notice = last, _(PAST_THE_END)
        rows = list(keyed[(last - 1) * per_page : last * per_page]) if total else []
    paginator = Paginator([], per_page)
    paginator.count = total  # known already: Paginator would otherwise count again
    keys = [key for key, _matches in rows]
    return Page(fetch(keys) if keys else [], number, paginator), notice
