"""Forgiving pagination: a bad page number shows a page and says why, never a 500."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int) -> tuple[Page, str]:
    """Return the requested page of ``queryset`` and a notice when the number was unusable.

    Costs a COUNT query plus the page's own query. (A window-function count in the
    page query was measured slower: it makes PostgreSQL carry every matching row,
    whole, through the sort.)
    """
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        return paginator.page(1), _("That page number is not valid; here is the first page.")
    if number > paginator.num_pages:
        return (
            paginator.page(paginator.num_pages),
            _("There are fewer pages than that; here is the last one."),
        )
    return paginator.page(number), ""
