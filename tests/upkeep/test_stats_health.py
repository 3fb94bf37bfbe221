"""The catalogue's health over time on the admins' statistics page."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from services.models import Service
from upkeep import workflow
from upkeep.models import ProblemReport, Proposal, Verification
from upkeep.statistics import health_by_month


def last_month_moment() -> datetime:
    day = timezone.localdate().replace(day=1) - timedelta(days=15)
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def upkeep_last_month(catalogue, partner_user, municipal_admin):
    """Last month: three proposals (one approved, one rejected), two reports (one closed)."""
    lawyer = catalogue["services"]["lawyer"]
    made = [
        workflow.proposal_create(
            association=lawyer.association,
            service=lawyer,
            by=partner_user,
            kind="change",
            proposed={"summary_fr": f"Résumé {n}"},
        )
        for n in range(3)
    ]
    workflow.proposal_approve(proposal=made[0], by=municipal_admin, despite_conflict=True)
    workflow.proposal_reject(proposal=made[1], by=municipal_admin, reason="Doublon")
    ProblemReport.objects.create(service=lawyer, kind="hours", language="fr")
    closed = ProblemReport.objects.create(service=lawyer, kind="other", language="ar")
    workflow.report_close(report=closed, by=partner_user, resolution="corrected")
    moment = last_month_moment()
    Proposal.objects.update(created_at=moment)
    Proposal.objects.exclude(decided_at=None).update(decided_at=moment)
    ProblemReport.objects.update(created_at=moment)
    ProblemReport.objects.exclude(closed_at=None).update(closed_at=moment)
    Verification.objects.update(at=moment)
    Service.objects.update(created_at=moment - timedelta(days=400), last_verified_on=None)


def test_it_counts_last_months_upkeep(upkeep_last_month):
    start = timezone.localdate().replace(day=1) - timedelta(days=15)
    last, current = health_by_month(start.replace(day=1), start)
    assert (last.proposals_made, last.proposals_approved, last.proposals_rejected) == (3, 1, 1)
    assert (last.reports_opened, last.reports_closed) == (2, 1)
    assert current.partial and current.proposals_made == 0


def test_the_share_counts_services_verified_within_six_months(upkeep_last_month):
    start = timezone.localdate().replace(day=1) - timedelta(days=15)
    last, _current = health_by_month(start.replace(day=1), start)
    published = Service.objects.published().count()
    assert (last.verified, last.services) == (1, published)  # the approved proposal's


def test_the_admins_statistics_show_the_table_and_chart(client, municipal_admin, upkeep_last_month):
    client.force_login(municipal_admin)
    html = client.get("/fr/stats/").content.decode()
    assert 'id="health-history"' in html and 'id="chart-verified-share-title"' in html


def test_desk_staff_do_not_see_it(client, desk_user, catalogue):
    client.force_login(desk_user)
    assert 'id="health-history"' not in client.get("/fr/stats/").content.decode()


@pytest.mark.parametrize("lang", ["ar", "fr", "es", "en"])
def test_the_statistics_page_stays_valid_html(
    client, municipal_admin, upkeep_last_month, lang, assert_valid_html
):
    client.force_login(municipal_admin)
    assert_valid_html(client.get(f"/{lang}/stats/"))
