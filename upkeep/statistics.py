"""The catalogue's health over time, for the admins' statistics page: per month, the
proposals made, approved and rejected, the problem reports opened and closed, and the
share of services verified within the last six months (``guichet.freshness``).

These count the catalogue's upkeep, not people: no referral and nothing about a person
is counted, so no cell is suppressed (as the page's other catalogue-health figures).
Like the rest of the page, the table covers the page's whole, finished months; the
current month follows, marked partial.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guichet.freshness import STALE_AFTER
from referrals.charts import bar_chart
from referrals.statistics import Row, Table
from referrals.suppression import Cell
from services.models import Service
from upkeep.models import ProblemReport, Proposal, Verification


@dataclass
class Month:
    first_day: date
    partial: bool
    proposals_made: int = 0
    proposals_approved: int = 0
    proposals_rejected: int = 0
    reports_opened: int = 0
    reports_closed: int = 0
    services: int = 0
    verified: int = 0

    @property
    def label(self) -> str:
        return date_format(self.first_day, "YEAR_MONTH_FORMAT")

    @property
    def share(self) -> int | None:
        """The per cent of services verified in the six months before the month's end."""
        return round(100 * self.verified / self.services) if self.services else None


def _months(start: date, end: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _next_month(day: date) -> date:
    return (day + timedelta(days=32)).replace(day=1)


def _monthly_counts(
    table: str, wanted: dict[str, tuple[str, str, list]], boundaries: list[datetime]
) -> dict:
    """One query: for each name of ``wanted`` — a date column and an SQL condition with
    its parameters — and each month between ``boundaries`` (the months' first moments,
    then the next month's), how many rows of ``table``, as ``{f"{name}_{index}": n}``.

    Each row's month is found among the boundaries (``width_bucket``), as the referral
    statistics do: written as ORM aggregates, one FILTER per name and month, five years
    took longer to compile (about 60 ms) than PostgreSQL to count.
    """
    parts, params = [], []
    for name, (column, condition, condition_params) in wanted.items():
        # Table, columns and conditions are this module's constants; values are parameters.
        parts.append(
            f"SELECT %s, width_bucket({column}, %s::timestamptz[]), count(*) FROM {table} "  # noqa: S608
            f"WHERE {column} >= %s AND {column} < %s AND ({condition}) GROUP BY 2"
        )
        params += [name, boundaries, boundaries[0], boundaries[-1], *condition_params]
    counts = {f"{name}_{index}": 0 for name in wanted for index in range(len(boundaries) - 1)}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for name, bucket, number in cursor.fetchall():
            counts[f"{name}_{bucket - 1}"] = number  # width_bucket counts from 1
    return counts


# Per month end: the published services that existed then, and those of them verified
# in the STALE_AFTER before it (their last verification date, or a recorded one).
_VERIFIED_SQL = """
SELECT count(*) FILTER (WHERE s.created_at < e.until),
       count(*) FILTER (WHERE s.created_at < e.until AND (
           s.last_verified_on BETWEEN e.since AND e.last_day
           OR EXISTS (SELECT 1 FROM {verification} AS v
                       WHERE v.service_id = s.id AND v.at >= e.since_at AND v.at < e.until)))
  FROM unnest(%s::date[], %s::date[], %s::timestamptz[], %s::timestamptz[])
       WITH ORDINALITY AS e(last_day, since, since_at, until, ord)
  LEFT JOIN ({published}) AS s ON TRUE
 GROUP BY e.ord
 ORDER BY e.ord
"""


def _verified_shares(ends: list[date], zone) -> list[tuple[int, int]]:
    """For each day of ``ends``: the published services that existed then, and those of
    them verified in the STALE_AFTER before it (their last verification, or a recorded
    one). One query. The catalogue as it is today: a service closed since is not counted.
    """
    if not ends:
        return []
    published = Service.objects.published().values("id", "created_at", "last_verified_on")
    sql, params = published.query.sql_with_params()
    sinces = [end - STALE_AFTER for end in ends]
    with connection.cursor() as cursor:
        cursor.execute(
            _VERIFIED_SQL.format(verification=Verification._meta.db_table, published=sql),
            [
                ends,
                sinces,
                [datetime.combine(since, time.min, zone) for since in sinces],
                [datetime.combine(end + timedelta(days=1), time.min, zone) for end in ends],
                *params,
            ],
        )
        return [(services, verified) for services, verified in cursor.fetchall()]


def health_by_month(start: date, end: date) -> list[Month]:
    """The months from ``start`` to ``end`` (finished), then the current one (partial).
    Three queries whatever the number of months: proposals, reports, services."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    firsts = _months(start, end)
    current = today.replace(day=1)
    months = [Month(day, partial=False) for day in firsts if day < current]
    months.append(Month(current, partial=True))
    boundaries = [datetime.combine(month.first_day, time.min, zone) for month in months]
    boundaries.append(datetime.combine(_next_month(months[-1].first_day), time.min, zone))
    every = ("TRUE", [])
    counts = _monthly_counts(
        Proposal._meta.db_table,
        {
            "proposals_made": ("created_at", *every),
            "proposals_approved": ("decided_at", "status = %s", [Proposal.Status.APPROVED]),
            "proposals_rejected": ("decided_at", "status = %s", [Proposal.Status.REJECTED]),
        },
        boundaries,
    ) | _monthly_counts(
        ProblemReport._meta.db_table,
        {"reports_opened": ("created_at", *every), "reports_closed": ("closed_at", *every)},
        boundaries,
    )
    ends = [
        today if month.partial else _next_month(month.first_day) - timedelta(days=1)
        for month in months
    ]
    shares = _verified_shares(ends, zone)
    names = ["proposals_made", "proposals_approved", "proposals_rejected"]
    names += ["reports_opened", "reports_closed"]
    for index, (month, (services, verified)) in enumerate(zip(months, shares, strict=True)):
        for name in names:
            setattr(month, name, counts[f"{name}_{index}"])
        month.services, month.verified = services, verified
    return months


def share_chart(months: list[Month]) -> str:
    """A bar per month: the per cent of services verified in the last six months."""
    table = Table(
        key="verified-share",
        title=str(_("Services verified in the last 6 months (%), month by month")),
        rows=[Row(month.label, Cell(month.share or 0)) for month in months],
        total=Cell(0),
    )
    return bar_chart(
        table,
        "chart-verified-share",
        description=_(
            "Bar chart of the last column of the table that follows: for each month, the "
            "per cent of services verified in the six months before its end."
        ),
    )


def stats_section(start: date, end: date) -> tuple[str, dict]:
    """The admins' statistics page's section (``referrals.statistics.ADMIN_SECTIONS``)."""
    months = health_by_month(start, end)
    return "upkeep/_stats_health.html", {"months": months, "chart": share_chart(months)}
