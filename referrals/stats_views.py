"""The city's statistics (/<lang>/stats/): anonymised, suppressed, with charts and CSV."""

import csv
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from guichet import roles
from guichet.forms import IsoDateField
from guichet.roles import staff_page
from referrals.charts import bar_chart
from referrals.models import AccessLog
from referrals.statistics import (
    ADMIN_SECTIONS,
    medians,
    month_to_date,
    referral_tables,
    referrals_between,
)
from referrals.workflow import log_access
from services.health import catalogue_health

EARLIEST = date(2000, 1, 1)
LONGEST = timedelta(days=366 * 5)


class RangeForm(forms.Form):
    start = IsoDateField(label=gettext_lazy("From"), required=False)
    end = IsoDateField(label=gettext_lazy("To"), required=False)


def _month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def last_finished_month_end() -> date:
    return timezone.localdate().replace(day=1) - timedelta(days=1)


def default_range() -> tuple[date, date]:
    """The 12 finished months before the current one."""
    end = last_finished_month_end()
    start = end.replace(day=1)
    for _month in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, end


def read_range(params) -> tuple[date, date, list[str]]:
    """The requested range in whole, finished months, or the last 12, with notes.

    Whole finished months only: two ranges a day apart would otherwise differ by one
    day's referrals, and comparing them could single a person out.
    """
    start, end = default_range()
    form = RangeForm(params)
    if not form.is_valid():
        return start, end, [_("That date could not be read; showing the last 12 months.")]
    notes = []
    asked_start = form.cleaned_data.get("start") or start
    asked_end = form.cleaned_data.get("end") or end
    if asked_start > asked_end:
        return start, end, [_("The start date is after the end date; showing the last 12 months.")]
    if asked_start < EARLIEST:
        asked_start = EARLIEST
        notes.append(_("Figures start in the year 2000; the range was shortened."))
    rounded_start = asked_start.replace(day=1)
    rounded_end = _month_end(min(asked_end, last_finished_month_end()))
    if rounded_start > rounded_end:
        return start, end, [_("That range is in the future; showing the last 12 months.")]
    if rounded_end - rounded_start > LONGEST:
        rounded_start = (rounded_end - LONGEST).replace(day=1)
        notes.append(_("A range of at most five years is shown; the start was moved."))
    if (rounded_start, rounded_end) != (asked_start, asked_end) and params:
        notes.append(
            _("Figures cover whole, finished months only: from %(start)s to %(end)s.")
            % {
                "start": date_format(rounded_start, "DATE_FORMAT"),
                "end": date_format(rounded_end, "DATE_FORMAT"),
            }
        )
    return rounded_start, rounded_end, notes


def stats_access(request: HttpRequest) -> bool:
    """Desk staff and municipal admins see the statistics; admins also see catalogue health."""
    user = request.user
    if not (roles.is_desk(user) or roles.is_municipal_admin(user)):
        raise PermissionDenied
    return roles.is_municipal_admin(user)


@require_safe
@staff_page
def stats(request: HttpRequest) -> HttpResponse:
    show_health = stats_access(request)
    start, end, notes = read_range(request.GET)
    tables = referral_tables(start, end)
    log_access(request.user, AccessLog.Action.VIEW, detail=f"statistics {start} to {end}")
    return render(
        request,
        "referrals/stats.html",
        {
            "form": RangeForm(initial={"start": start, "end": end}),
            "start": start,
            "end": end,
            "notes": notes,
            "tables": [(table, bar_chart(table, f"chart-{table.key}")) for table in tables],
            "medians": medians(referrals_between(start, end)),
            "month_to_date": month_to_date(),
            "health": catalogue_health() if show_health else None,
            "admin_sections": [section(start, end) for section in ADMIN_SECTIONS]
            if show_health
            else [],
            "threshold": settings.STATS_MIN_CELL,
            "largest_hidden": settings.STATS_MIN_CELL - 1,
        },
    )


@require_safe
@staff_page
def stats_export(request: HttpRequest, table: str) -> HttpResponse:
    """One table as CSV, suppressed like the page; UTF-8 with a BOM for spreadsheets."""
    stats_access(request)
    start, end, _notes = read_range(request.GET)
    chosen = next((t for t in referral_tables(start, end) if t.key == table), None)
    if chosen is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="guichet-{table}-{start}-{end}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([chosen.label_header, _("Referrals")])
    for row in chosen.rows:
        writer.writerow([row.label, row.cell.display])
    writer.writerow([_("Total"), chosen.total.display])
    log_access(request.user, AccessLog.Action.EXPORT, detail=f"statistics {table} {start} to {end}")
    return response
