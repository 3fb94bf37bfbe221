"""Forgiving pagination: a bad page number shows a page and says why, never a 500."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
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
