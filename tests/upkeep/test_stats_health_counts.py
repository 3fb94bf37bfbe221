"""The catalogue-health counts, written in SQL for speed, against their definition
written plainly with the ORM: month by month over a year, with rows on the months'
first and last instants, decided or closed in another month than they were made, and
services verified by date, by a recorded verification, or neither."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from guichet.freshness import STALE_AFTER
from services.models import Service
from upkeep import workflow
from upkeep.models import ProblemReport, Proposal, Verification
from upkeep.statistics import _months, _next_month, health_by_month

ZONE = ZoneInfo(settings.TIME_ZONE)


def _between(field: str, since, until) -> Q:
    return Q(**{f"{field}__gte": since, f"{field}__lt": until})


def _expected(start: date, end: date) -> list[tuple]:
    """The definition: for each month, counted one by one with the ORM."""
    today = timezone.localdate()
    current = today.replace(day=1)
    firsts = [day for day in _months(start, end) if day < current] + [current]
    rows = []
    for first in firsts:
        since = datetime.combine(first, time.min, ZONE)
        until = datetime.combine(_next_month(first), time.min, ZONE)
        last_day = today if first == current else _next_month(first) - timedelta(days=1)
        day_after = datetime.combine(last_day + timedelta(days=1), time.min, ZONE)
        fresh_since = last_day - STALE_AFTER
        existed = Service.objects.published().filter(created_at__lt=day_after)
        recorded = Verification.objects.filter(
            service=OuterRef("pk"),
            at__gte=datetime.combine(fresh_since, time.min, ZONE),
            at__lt=day_after,
        )
        verified = existed.filter(
            Q(last_verified_on__gte=fresh_since, last_verified_on__lte=last_day)
            | Q(Exists(recorded))
        )
        rows.append(
            (
                Proposal.objects.filter(_between("created_at", since, until)).count(),
                Proposal.objects.filter(
                    _between("decided_at", since, until), status=Proposal.Status.APPROVED
                ).count(),
                Proposal.objects.filter(
                    _between("decided_at", since, until), status=Proposal.Status.REJECTED
                ).count(),
                ProblemReport.objects.filter(_between("created_at", since, until)).count(),
                ProblemReport.objects.filter(_between("closed_at", since, until)).count(),
                existed.count(),
                verified.count(),
            )
        )
    return rows


def _moments(rng: random.Random, first: date, months: int) -> list[datetime]:
    """Random moments over ``months`` months from ``first``, and each month's first and
    last instants (in the city's time)."""
    found, day = [], first
    for _ in range(months):
        following = _next_month(day)
        start = datetime.combine(day, time.min, ZONE)
        found += [start, datetime.combine(following, time.min, ZONE) - timedelta(microseconds=1)]
        found += [start + timedelta(seconds=rng.randrange(28 * 86400)) for _ in range(2)]
        day = following
    return found


def test_the_counts_match_their_definition(catalogue, partner_user, municipal_admin):
    rng = random.Random(17)
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=300)).replace(day=1)
    moments = _moments(rng, start, 11)
    services = list(catalogue["services"].values())
    service = catalogue["services"]["lawyer"]  # partner_user's association's
    for number, moment in enumerate(moments):
        proposal = workflow.proposal_create(
            association=service.association,
            service=service,
            by=partner_user,
            kind="change",
            proposed={"summary_fr": f"Résumé {number}"},
        )
        decided = moment + timedelta(days=rng.choice([0, 3, 40]))
        if number % 3 == 0:
            workflow.proposal_approve(proposal=proposal, by=municipal_admin, despite_conflict=True)
        elif number % 3 == 1:
            workflow.proposal_reject(proposal=proposal, by=municipal_admin, reason="Non")
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=moment, decided_at=decided if number % 3 != 2 else None
        )
        report = ProblemReport.objects.create(service=service, kind="hours", language="fr")
        if number % 2:
            workflow.report_close(report=report, by=partner_user, resolution="corrected")
            ProblemReport.objects.filter(pk=report.pk).update(
                created_at=moment, closed_at=moment + timedelta(days=rng.choice([0, 20, 45]))
            )
        else:
            ProblemReport.objects.filter(pk=report.pk).update(created_at=moment)
    verifications = list(Verification.objects.all())
    for verification, moment in zip(
        verifications, rng.sample(moments, len(verifications)), strict=True
    ):
        Verification.objects.filter(pk=verification.pk).update(at=moment)
    for number, service in enumerate(services):
        Service.objects.filter(pk=service.pk).update(
            created_at=moments[number * 7 % len(moments)],
            last_verified_on=(moments[number * 5 % len(moments)].date() if number % 2 else None),
        )

    found = [
        (
            m.proposals_made,
            m.proposals_approved,
            m.proposals_rejected,
            m.reports_opened,
            m.reports_closed,
            m.services,
            m.verified,
        )
        for m in health_by_month(start, today - timedelta(days=1))
    ]
    assert found == _expected(start, today - timedelta(days=1))
    assert sum(row[0] for row in found) == len(moments)  # every proposal counted once


def test_months_without_any_service_count_zero(db):
    start = (timezone.localdate().replace(day=1) - timedelta(days=70)).replace(day=1)
    months = health_by_month(start, timezone.localdate() - timedelta(days=1))
    assert len(months) >= 3  # two or three finished months, then the current one
    assert all((m.services, m.verified, m.proposals_made) == (0, 0, 0) for m in months)
    assert all(m.share is None for m in months)
