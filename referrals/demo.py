"""Demo referrals for the demo accounts (DEBUG only), so the staff area is not empty."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model

from referrals.models import Referral
from referrals.workflow import referral_create, referral_transition
from services.models import Service

DEMO_REFERRALS = [
    # client code, age band, nationality, language, status after the partner's answers
    ("P-DEMO01", "18-25", "SN", "fr", "sent"),
    ("P-DEMO02", "26-35", "CM", "ar", "accepted"),
    ("P-DEMO03", "12-17", "GN", "es", "completed"),
]


def load_demo_referrals() -> int:
    """Create the demo referrals once (idempotent by client code); return how many are new."""
    if not settings.DEBUG:
        return 0
    users = get_user_model().objects
    desk, partner = users.get(username="desk"), users.get(username="partner")
    association = partner.memberships.first().association
    service = Service.objects.active().filter(association=association).first()
    if service is None:
        return 0
    created = 0
    for code, age, nationality, language, status in DEMO_REFERRALS:
        if Referral.objects.filter(client_code=code).exists():
            continue
        referral, _new = referral_create(
            service=service,
            created_by=desk,
            submission_token=uuid.uuid4(),
            client_code=code,
            age_band=age,
            nationality=nationality,
            preferred_language=language,
            need_category=service.categories.first(),
            consent_given=True,
            repeat_confirmed=True,  # three demo people, one service, one minute
        )
        for step in {"sent": [], "accepted": ["accepted"], "completed": ["accepted", "completed"]}[
            status
        ]:
            referral = referral_transition(
                referral=referral, to_status=step, by=partner, version=referral.version
            )
        created += 1
    return created
