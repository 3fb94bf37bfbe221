"""Anonymised referral figures for the city: one aggregate query for all tables, suppressed.

Purged referrals still count: the purge keeps every field used here except the
country of nationality (its region stays).
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Aggregate, Count, DurationField, F, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from associations.models import Association
from referrals import regions
from referrals.models import Referral
from referrals.suppression import Cell, suppress
from services.models import Category

TOP_COUNTRIES = 10

# Sections that apps after referrals add to the statistics page for municipal admins
# (upkeep: the catalogue's health over time), so that referrals never imports them. Each
# is called with the page's range of whole months and returns (template name, context).
ADMIN_SECTIONS: list[Callable[[date, date], tuple[str, dict]]] = []


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


# Each table's column; the grouping sets compute all the tables in one pass.
DIMENSIONS = {
    "need": "need_category_id",
    "association": "association_id",
    "region": "region",
    "country": "nationality",
    "age": "age_band",
    "gender": "gender",
    "status": "status",
    "reason": "outcome_reason_code",
    "month": "month",
}
# The grouping sets hash every dimension at once and the medians sort a range's delays;
# with PostgreSQL's default 4 MB the first sorts instead and the second spills to disk.
STATS_WORK_MEM = "32MB"


@contextmanager
def more_work_mem():
    """Run the statements inside with STATS_WORK_MEM to hash and sort in (one transaction)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{STATS_WORK_MEM}'")
        yield


def month_starts(start: date, end: date) -> list[date]:
    """The first day of each month from ``start``'s to ``end``'s."""
    months, cursor = [], start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def counts(start: date, end: date) -> dict[str, dict]:
    """Every table's counts for referrals sent from ``start`` to ``end``: one query.

    PostgreSQL's GROUPING SETS read the range once (from an index that covers every
    column counted) and count it nine ways. A referral's month is found among the
    months' first instants in the city, computed here: a binary search per row
    instead of converting every timestamp to the city's time.
    """
    since, until = city_range(start, end)
    months = month_starts(start, end)
    zone = ZoneInfo(settings.TIME_ZONE)
    boundaries = [datetime.combine(month, time.min, zone) for month in months]
    columns = list(DIMENSIONS.values())
    groupings = ", ".join(f"GROUPING({column})" for column in columns)
    sets = ", ".join(f"({column})" for column in columns)
    sql = f"""
        SELECT {groupings}, {", ".join(columns)}, count(*)
          FROM (SELECT need_category_id, association_id, region, nationality, age_band,
                       gender, status, outcome_reason_code, width_bucket(created_at, %s::timestamptz[]) AS month
                  FROM referrals_referral
                 WHERE created_at >= %s AND created_at < %s) AS r
         GROUP BY GROUPING SETS ({sets})
    """
    found: dict[str, dict] = {key: {} for key in DIMENSIONS}
    keys = list(DIMENSIONS)
    with more_work_mem(), connection.cursor() as cursor:
        cursor.execute(sql, [boundaries, since, until])
        for row in cursor.fetchall():
            grouped = row[: len(keys)].index(0)
            value = row[len(keys) + grouped]
            if keys[grouped] == "month":
                value = months[value - 1]  # width_bucket counts from 1
            found[keys[grouped]][value] = row[-1]
    return found


def by_month(found: dict, start: date, end: date) -> Table:
    months = month_starts(start, end)
    pairs = [(date_format(month, "YEAR_MONTH_FORMAT"), found.get(month, 0)) for month in months]
    return _table("month", _("Referrals per month"), pairs, _("Month"))


def _by_name(found: dict, model, key, title, label_header) -> Table:
    """Counts per record of ``model``, most first, named in the active language (one query)."""
    names = {obj.pk: str(obj.name) for obj in model.objects.filter(pk__in=list(found))}
    rows = sorted(found.items(), key=lambda item: (-item[1], names.get(item[0], "")))
    return _table(key, title, [(names.get(pk, "?"), n) for pk, n in rows], label_header)


def by_region(found: dict) -> Table:
    pairs = [(label, found.get(key, 0)) for key, label in regions.CHOICES]
    pairs.append((_("Not recorded"), found.get("", 0)))
    return _table("region", _("Referrals by region of nationality"), pairs, _("Region"))


def by_country(found: dict) -> Table:
    known = sorted(((code, n) for code, n in found.items() if code), key=lambda i: (-i[1], i[0]))
    top, others = known[:TOP_COUNTRIES], known[TOP_COUNTRIES:]
    pairs = [(countries.name(code) or code, n) for code, n in top]
    pairs.append((_("Other countries"), sum(n for _code, n in others)))
    pairs.append((_("Not recorded, or erased by the retention purge"), found.get("", 0)))
    return _table("country", _("Top countries of nationality"), pairs, _("Country"))


def _by_choice(found: dict, key, title, choices, label_header, blank_label=None) -> Table:
    pairs = [(label, found.get(value, 0)) for value, label in choices]
    if blank_label is not None:
        pairs.append((blank_label, found.get("", 0)))
    return _table(key, title, pairs, label_header)


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def medians(queryset: QuerySet) -> dict:
    """Median days from sent to accepted and to closed; hidden when fewer than the threshold.

    The medians are taken of the intervals themselves, which PostgreSQL sorts twice as
    fast as their lengths in days.
    """
    delay = {"output_field": DurationField()}
    with more_work_mem():
        figures = queryset.aggregate(
            accepted_n=Count("accepted_at"),
            accepted=Median(F("accepted_at") - F("created_at"), **delay),
            closed_n=Count("closed_at"),
            closed=Median(F("closed_at") - F("created_at"), **delay),
        )
    threshold = settings.STATS_MIN_CELL
    result = {}
    for key in ("accepted", "closed"):
        enough = figures[f"{key}_n"] >= threshold and figures[key] is not None
        result[key] = round(figures[key].total_seconds() / 86400, 1) if enough else None
    return result


def referral_tables(start: date, end: date) -> list[Table]:
    """The nine tables of the statistics page: three queries in all."""
    found = counts(start, end)
    return [
        by_month(found["month"], start, end),
        _by_name(found["need"], Category, "need", _("Referrals by need"), _("Need")),
        _by_name(
            found["association"],
            Association,
            "association",
            _("Referrals by receiving association"),
            _("Association"),
        ),
        by_region(found["region"]),
        by_country(found["country"]),
        _by_choice(found["age"], "age", _("Referrals by age"), Referral.AgeBand.choices, _("Age")),
        _by_choice(
            found["gender"],
            "gender",
            _("Referrals by gender"),
            Referral.Gender.choices,
            _("Gender"),
            _("Not recorded"),
        ),
        _by_choice(
            found["status"],
            "status",
            _("Referrals by status and outcome"),
            Referral.Status.choices,
            _("Status"),
        ),
        # Only referrals declined or not completed have a reason; the others are not rows.
        _by_choice(
            found["reason"],
            "reason",
            _("Why referrals were declined or not completed"),
            Referral.Reason.choices,
            _("Reason"),
        ),
    ]


def month_to_date() -> dict:
    """The referrals of the current, unfinished month, apart from the tables (which cover
    finished months only). Suppressed like a cell, and otherwise rounded down to a
    multiple of STATS_MIN_CELL: a count that grows day by day would otherwise tell, from
    one day to the next, that one person was referred."""
    threshold = settings.STATS_MIN_CELL
    today = timezone.localdate()
    start = today.replace(day=1)
    count = referrals_between(start, today).count()
    return {
        "start": start,
        "end": today,
        "small": 0 < count < threshold,
        "at_least": count - count % threshold,
        "threshold": threshold,
    }
