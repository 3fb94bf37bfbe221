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
from django.db.models import Count, Exists, OuterRef, Q
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


def _monthly_counts(queryset, wanted: dict[str, tuple[str, Q]], bounds) -> dict:
    """One query: for each name of ``wanted`` — a date field and a condition — and each
    month of ``bounds`` (its first and next first moments), how many rows of ``queryset``."""
    aggregates = {
        f"{name}_{index}": Count(
            "pk", filter=condition & Q(**{f"{field}__gte": since, f"{field}__lt": until})
        )
        for name, (field, condition) in wanted.items()
        for index, (since, until) in enumerate(bounds)
    }
    return queryset.aggregate(**aggregates)


def _verified_shares(ends: list[date], zone) -> list[tuple[int, int]]:
    """For each day of ``ends``: the published services that existed then, and those of
    them verified in the STALE_AFTER before it (their last verification, or a recorded
    one). One query. The catalogue as it is today: a service closed since is not counted.
    """
    aggregates = {}
    for index, end in enumerate(ends):
        until = datetime.combine(end + timedelta(days=1), time.min, zone)
        since = end - STALE_AFTER
        existed = Q(created_at__lt=until)
        recorded = Exists(
            Verification.objects.filter(
                service=OuterRef("pk"),
                at__gte=datetime.combine(since, time.min, zone),
                at__lt=until,
            )
        )
        fresh = Q(last_verified_on__gte=since, last_verified_on__lte=end) | Q(recorded)
        aggregates[f"s{index}"] = Count("pk", filter=existed)
        aggregates[f"v{index}"] = Count("pk", filter=existed & fresh)
    if not aggregates:
        return []
    counts = Service.objects.published().aggregate(**aggregates)
    return [(counts[f"s{i}"], counts[f"v{i}"]) for i in range(len(ends))]


def health_by_month(start: date, end: date) -> list[Month]:
    """The months from ``start`` to ``end`` (finished), then the current one (partial).
    Three queries whatever the number of months: proposals, reports, services."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    firsts = _months(start, end)
    current = today.replace(day=1)
    months = [Month(day, partial=False) for day in firsts if day < current]
    months.append(Month(current, partial=True))
    bounds = [
        (
            datetime.combine(month.first_day, time.min, zone),
            datetime.combine(_next_month(month.first_day), time.min, zone),
        )
        for month in months
    ]
    every = Q()
    counts = _monthly_counts(
        Proposal.objects.all(),
        {
            "proposals_made": ("created_at", every),
            "proposals_approved": ("decided_at", Q(status=Proposal.Status.APPROVED)),
            "proposals_rejected": ("decided_at", Q(status=Proposal.Status.REJECTED)),
        },
        bounds,
    ) | _monthly_counts(
        ProblemReport.objects.all(),
        {"reports_opened": ("created_at", every), "reports_closed": ("closed_at", every)},
        bounds,
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
