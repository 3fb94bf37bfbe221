"""Anonymised referral figures for the city: one aggregate query per table, suppressed.

Purged referrals still count: the purge keeps every field used here except the
country of nationality (its region stays).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Aggregate, Count, F, FloatField, Func, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from referrals import regions
from referrals.models import Referral
from referrals.suppression import Cell, suppress

TOP_COUNTRIES = 10


@dataclass
class Row:
    label: str
    cell: Cell


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row]
    total: Cell
    note: str = ""
    label_header: str = field(default_factory=lambda: str(_("Category")))


def city_range(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )


def referrals_between(start: date, end: date) -> QuerySet:
    since, until = city_range(start, end)
    return Referral.objects.filter(created_at__gte=since, created_at__lt=until)


def _table(key, title, pairs, label_header=None, note="") -> Table:
    threshold = settings.STATS_MIN_CELL
    cells, total = suppress([count for _label, count in pairs], threshold)
    rows = [Row(str(label), cell) for (label, _count), cell in zip(pairs, cells, strict=True)]
    table = Table(key, str(title), rows, total, str(note))
    if label_header:
        table.label_header = str(label_header)
    return table


def by_month(queryset: QuerySet, start: date, end: date) -> Table:
    zone = ZoneInfo(settings.TIME_ZONE)
    found = {
        row["month"].date(): row["n"]
        for row in queryset.annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    months, cursor = [], start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    pairs = [(date_format(month, "YEAR_MONTH_FORMAT"), found.get(month, 0)) for month in months]
    return _table("month", _("Referrals per month"), pairs, _("Month"))


def _by_name(queryset, key, title, relation, label_header) -> Table:
    name = f"{relation}__name_{get_language()}"
    fallback = f"{relation}__name_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"
    rows = (
        queryset.values(relation, name, fallback).annotate(n=Count("pk")).order_by("-n", relation)
    )
    pairs = [(row[name] or row[fallback], row["n"]) for row in rows]
    return _table(key, title, pairs, label_header)


def by_need(queryset: QuerySet) -> Table:
    return _by_name(queryset, "need", _("Referrals by need"), "need_category", _("Need"))


def by_association(queryset: QuerySet) -> Table:
    return _by_name(
        queryset,
        "association",
        _("Referrals by receiving association"),
        "association",
        _("Association"),
    )


def by_region(queryset: QuerySet) -> Table:
    found = {
        row["region"]: row["n"]
        for row in queryset.values("region").annotate(n=Count("pk")).order_by()
    }
    pairs = [(label, found.get(key, 0)) for key, label in regions.CHOICES]
    pairs.append((_("Not recorded"), found.get("", 0)))
    return _table("region", _("Referrals by region of nationality"), pairs, _("Region"))


def by_country(queryset: QuerySet) -> Table:
    rows = list(
        queryset.values("nationality").annotate(n=Count("pk")).order_by("-n", "nationality")
    )
    known = [r for r in rows if r["nationality"]]
    top, others = known[:TOP_COUNTRIES], known[TOP_COUNTRIES:]
    pairs = [(countries.name(r["nationality"]) or r["nationality"], r["n"]) for r in top]
    pairs.append((_("Other countries"), sum(r["n"] for r in others)))
    pairs.append(
        (
            _("Not recorded, or erased by the retention purge"),
            sum(r["n"] for r in rows if not r["nationality"]),
        )
    )
    return _table("country", _("Top countries of nationality"), pairs, _("Country"))


def _by_choice(queryset, key, title, field_name, choices, label_header, blank_label=None) -> Table:
    found = {
        row[field_name]: row["n"]
        for row in queryset.values(field_name).annotate(n=Count("pk")).order_by()
    }
    pairs = [(label, found.get(value, 0)) for value, label in choices]
    if blank_label is not None:
        pairs.append((blank_label, found.get("", 0)))
    return _table(key, title, pairs, label_header)


def by_age(queryset: QuerySet) -> Table:
    return _by_choice(
        queryset, "age", _("Referrals by age"), "age_band", Referral.AgeBand.choices, _("Age")
    )


def by_gender(queryset: QuerySet) -> Table:
    return _by_choice(
        queryset,
        "gender",
        _("Referrals by gender"),
        "gender",
        Referral.Gender.choices,
        _("Gender"),
        _("Not recorded"),
    )


def by_status(queryset: QuerySet) -> Table:
    return _by_choice(
        queryset,
        "status",
        _("Referrals by status and outcome"),
        "status",
        Referral.Status.choices,
        _("Status"),
    )


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class Days(Func):
    """The length of a time interval in days."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)"
    output_field = FloatField()


def medians(queryset: QuerySet) -> dict:
    """Median days from sent to accepted and to closed; hidden when fewer than the threshold."""
    figures = queryset.aggregate(
        accepted_n=Count("pk", filter=Q(accepted_at__isnull=False)),
        accepted=Median(Days(F("accepted_at") - F("created_at"))),
        closed_n=Count("pk", filter=Q(closed_at__isnull=False)),
        closed=Median(Days(F("closed_at") - F("created_at"))),
    )
    threshold = settings.STATS_MIN_CELL
    result = {}
    for key in ("accepted", "closed"):
        enough = figures[f"{key}_n"] >= threshold and figures[key] is not None
        result[key] = round(figures[key], 1) if enough else None
    return result


def referral_tables(start: date, end: date) -> list[Table]:
    queryset = referrals_between(start, end)
    return [
        by_month(queryset, start, end),
        by_need(queryset),
        by_association(queryset),
        by_region(queryset),
        by_country(queryset),
        by_age(queryset),
        by_gender(queryset),
        by_status(queryset),
    ]
