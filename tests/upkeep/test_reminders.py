"""Freshness reminders and the admin's freshness view."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from services.models import Service
from upkeep.models import Proposal, VerificationRequest


@pytest.fixture
def stale_lawyer(catalogue):
    """Association A's lawyer, last verified seven months ago; B's services fresh."""
    Service.objects.update(last_verified_on=timezone.localdate())
    Service.objects.filter(slug="consultation-avocat").update(
        last_verified_on=timezone.localdate() - timedelta(days=210)
    )
    return catalogue["services"]["lawyer"]


def test_it_emails_the_staff_of_associations_with_stale_services(
    stale_lawyer, partner_user, other_partner
):
    call_command("send_verification_requests", stdout=StringIO())
    assert [message.to for message in mail.outbox] == [[partner_user.email]]
    assert "/desk/our-services/" in mail.outbox[0].body
    assert VerificationRequest.objects.get().stale_services == 1


def test_running_twice_sends_once(stale_lawyer, partner_user):
    call_command("send_verification_requests", stdout=StringIO())
    call_command("send_verification_requests", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert VerificationRequest.objects.count() == 1


def test_it_reminds_again_after_a_month(stale_lawyer, partner_user):
    call_command("send_verification_requests", stdout=StringIO())
    VerificationRequest.objects.update(sent_at=timezone.now() - timedelta(days=31))
    call_command("send_verification_requests", stdout=StringIO())
    assert len(mail.outbox) == 2


def test_recently_verified_services_are_left_alone(catalogue, partner_user, settings):
    Service.objects.update(last_verified_on=timezone.localdate() - timedelta(days=120))
    call_command("send_verification_requests", stdout=StringIO())
    assert mail.outbox == []


def test_never_verified_services_are_stale(catalogue, partner_user):
    call_command("send_verification_requests", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_the_freshness_view_counts_per_association(
    client, stale_lawyer, partner_user, municipal_admin
):
    Proposal.objects.create(
        association=stale_lawyer.association,
        service=stale_lawyer,
        kind="change",
        proposed={"summary_fr": "x"},
        created_by=partner_user,
    )
    client.force_login(municipal_admin)
    response = client.get("/admin/upkeep/verificationrequest/freshness/")
    rows = {row["association"].slug: row for row in response.context["rows"]}
    assert response.status_code == 200
    assert (rows["droits-pour-tous"]["stale"], rows["droits-pour-tous"]["pending"]) == (1, 1)
    assert rows["sante-solidaire"]["stale"] == 0


def test_association_staff_cannot_open_the_freshness_view(client, partner_user):
    client.force_login(partner_user)
    response = client.get("/admin/upkeep/verificationrequest/freshness/")
    assert response.status_code == 302


def test_the_freshness_view_tells_due_from_stale(client, catalogue, municipal_admin):
    Service.objects.update(last_verified_on=timezone.localdate())
    Service.objects.filter(slug="consultation-avocat").update(
        last_verified_on=timezone.localdate() - timedelta(days=168)
    )
    client.force_login(municipal_admin)
    response = client.get("/admin/upkeep/verificationrequest/freshness/")
    rows = {row["association"].slug: row for row in response.context["rows"]}
    assert (rows["droits-pour-tous"]["due"], rows["droits-pour-tous"]["stale"]) == (1, 0)
    listed = client.get("/admin/services/service/?stale=due").context["cl"].result_list
    assert [service.slug for service in listed] == ["consultation-avocat"]
