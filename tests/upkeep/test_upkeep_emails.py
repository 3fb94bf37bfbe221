"""The proposer is told of the city's decision, and staff are reminded to review, each in
their own language, through a real SMTP server on a loopback port (aiosmtpd)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from associations.models import Membership
from referrals.models import StaffPreferences
from services.models import Service
from upkeep import reminders, workflow
from upkeep.models import VerificationRequest


def prefer(user, language: str) -> None:
    StaffPreferences.objects.update_or_create(user=user, defaults={"language": language})


@pytest.fixture
def proposal(catalogue, partner_user):
    lawyer = catalogue["services"]["lawyer"]
    return workflow.proposal_create(
        association=lawyer.association,
        service=lawyer,
        by=partner_user,
        kind="change",
        proposed={"summary_fr": "Nouveau résumé"},
    )


def test_the_proposer_is_told_of_the_approval_in_their_language(
    smtp, proposal, partner_user, municipal_admin, django_capture_on_commit_callbacks
):
    prefer(partner_user, "ar")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_approve(proposal=proposal, by=municipal_admin)
    [message] = smtp.messages
    assert message["to"] == [partner_user.email]
    assert "استشارة مجانية مع محامي" in message["subject"]  # the service's Arabic name
    assert "https://guichet.example.org/ar/services/consultation-avocat/" in message["body"]


def test_the_proposer_reads_why_it_was_rejected(
    smtp, proposal, partner_user, municipal_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_reject(
            proposal=proposal, by=municipal_admin, reason="Le résumé actuel est plus clair."
        )
    [message] = smtp.messages
    assert "Le résumé actuel est plus clair." in message["body"]
    assert "https://guichet.example.org/fr/desk/our-services/" in message["body"]


def test_a_trusted_association_is_not_told_of_its_own_publication(
    smtp, catalogue, partner_user, django_capture_on_commit_callbacks
):
    lawyer = catalogue["services"]["lawyer"]
    lawyer.association.proposals_trusted = True
    lawyer.association.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_create(
            association=lawyer.association,
            service=lawyer,
            by=partner_user,
            kind="change",
            proposed={"summary_fr": "Tout de suite"},
        )
    assert smtp.messages == []


def test_a_mail_server_down_leaves_the_decision_made(
    settings, proposal, municipal_admin, django_capture_on_commit_callbacks
):
    from tests.referrals.smtp import free_port, use_smtp

    use_smtp(settings, free_port())  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_approve(proposal=proposal, by=municipal_admin)
    proposal.refresh_from_db()
    assert proposal.status == "approved"


# --- Verification reminders -----------------------------------------------------------


@pytest.fixture
def due_lawyer(catalogue):
    """Association A's lawyer, verified five and a half months ago: due, not yet stale."""
    Service.objects.update(last_verified_on=timezone.localdate())
    Service.objects.filter(slug="consultation-avocat").update(
        last_verified_on=timezone.localdate() - timedelta(days=168)
    )
    return catalogue["services"]["lawyer"]


def test_each_member_is_reminded_in_their_own_language(
    smtp, due_lawyer, partner_user, django_user_model
):
    colleague = django_user_model.objects.create_user(
        "colleague", email="colleague@example.org", password="x"
    )
    Membership.objects.create(user=colleague, association=due_lawyer.association)
    prefer(partner_user, "es")
    reminders.send_verification_requests()
    subjects = {message["to"][0]: message["subject"] for message in smtp.messages}
    assert subjects == {
        partner_user.email: "[Guichet] Por favor, revise sus servicios en el catálogo de Tánger",
        "colleague@example.org": "[Guichet] Merci de vérifier vos services dans le catalogue de Tanger",
    }
    assert VerificationRequest.objects.get().recipients == 2


def test_a_reminder_that_could_not_leave_is_tried_again(settings, due_lawyer, partner_user):
    from tests.referrals.smtp import free_port, use_smtp

    use_smtp(settings, free_port())
    assert reminders.send_verification_requests() == []
    assert not VerificationRequest.objects.exists()


def test_a_service_due_for_review_is_not_yet_stale(due_lawyer):
    assert reminders.due_for_review().filter(pk=due_lawyer.pk).exists()
    assert not Service.objects.stale().filter(pk=due_lawyer.pk).exists()


def test_the_reminder_comes_before_the_record_turns_stale(settings):
    from guichet.freshness import review_threshold, stale_threshold

    assert review_threshold() > stale_threshold()
