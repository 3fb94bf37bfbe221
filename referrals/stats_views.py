"""The city's statistics (/<lang>/stats/): anonymised, suppressed, with charts and CSV."""

import csv
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from guichet import roles
from referrals.charts import bar_chart
from referrals.models import AccessLog
from referrals.statistics import medians, referral_tables, referrals_between
from referrals.views import staff_page
from referrals.workflow import log_access
from services.health import catalogue_health

EARLIEST = date(2000, 1, 1)
LONGEST = timedelta(days=366 * 5)


class RangeForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def default_range() -> tuple[date, date]:
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    return start, today


def read_range(params) -> tuple[date, date, list[str]]:
    """The requested date range, or the last 12 months, with a note on anything ignored."""
    start, end = default_range()
    form = RangeForm(params)
    notes = []
    if not form.is_valid():
        notes.append(_("That date could not be read; showing the last 12 months."))
        return start, end, notes
    today = timezone.localdate()
    asked_start = form.cleaned_data.get("start") or start
    asked_end = form.cleaned_data.get("end") or end
    if asked_start > asked_end:
        notes.append(_("The start date is after the end date; showing the last 12 months."))
        return start, end, notes
    if asked_end > today:
        asked_end = today
    if asked_start < EARLIEST:
        asked_start = EARLIEST
        notes.append(_("Figures start in the year 2000; the range was shortened."))
    if asked_end - asked_start > LONGEST:
        asked_start = asked_end - LONGEST
        notes.append(_("A range of at most five years is shown; the start was moved."))
    if asked_start > asked_end:
        return start, end, [_("That range is in the future; showing the last 12 months.")]
    return asked_start, asked_end, notes


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
            "health": catalogue_health() if show_health else None,
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
