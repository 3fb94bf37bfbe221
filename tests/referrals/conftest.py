import uuid

import pytest
from django.utils import timezone

from referrals.models import Referral, ReferralEvent


@pytest.fixture
def make_referral(catalogue, desk_user):
    """Build a referral to a catalogue service (association A's lawyer by default)."""

    def make(service=None, status=Referral.Status.SENT, **fields):
        service = service or catalogue["services"]["lawyer"]
        values = {
            "client_code": "P-TEST01",
            "age_band": Referral.AgeBand.ADULT,
            "preferred_language": "ar",
            "need_category": service.categories.first(),
            "consent_given": True,
            "consent_recorded_at": timezone.now(),
            "notes": "Needs an interpreter for Wolof.",
            **fields,
        }
        referral = Referral.objects.create(
            service=service,
            association=service.association,
            created_by=desk_user,
            submission_token=uuid.uuid4(),
            status=status,
            **values,
        )
        ReferralEvent.objects.create(referral=referral, to_status="sent", by=desk_user)
        return referral

    return make


@pytest.fixture
def referral(make_referral):
    """A referral sent to association A (Rights for All)."""
    return make_referral()


@pytest.fixture
def other_referral(make_referral, catalogue):
    """A referral sent to association B (Solidarity Health)."""
    return make_referral(service=catalogue["services"]["doctor"], client_code="P-OTHER1")


def login(client, user):
    client.force_login(user)
    return client
