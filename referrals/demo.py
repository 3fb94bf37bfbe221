"""Demo referrals for the demo accounts (DEBUG only), so the staff area is not empty."""

import random
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from referrals import regions
from referrals.models import Referral, new_reference
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


# The demo's past: about 1,000 referrals over the 18 months before today, so that a new
# user's statistics show charts rather than zeros. Synthetic and fixed by a seed.
HISTORY_MONTHS = 18
HISTORY_PREFIX = "P-H"
# Relative weight of each calendar month: more people arrive in late spring and summer
# and fewer around the new year, as the city's migration profiles describe.
SEASON = {
    1: 0.7,
    2: 0.75,
    3: 0.9,
    4: 1.0,
    5: 1.15,
    6: 1.3,
    7: 1.4,
    8: 1.35,
    9: 1.1,
    10: 1.0,
    11: 0.85,
    12: 0.7,
}
NATIONALITIES = {"SN": 16, "CI": 14, "GN": 13, "ML": 10, "CM": 9, "NG": 6, "CD": 5, "SD": 6,
                 "SY": 4, "YE": 2, "MA": 8, "DZ": 3, "": 4}  # fmt: skip
AGES = {"0-11": 5, "12-17": 16, "18-25": 34, "26-35": 24, "36-50": 14, "51-64": 3, "65+": 1,
        "unknown": 3}  # fmt: skip
GENDERS = {"female": 38, "male": 55, "other": 1, "": 6}
# Outcome of a referral old enough to be closed: mostly completed, as at a working desk.
OUTCOMES = {"completed": 58, "not_completed": 14, "declined": 12, "cancelled": 8, "accepted": 8}
# Why the declined and not completed ones ended so ("other" needs words: not drawn).
REASONS = {
    "no_capacity": 30,
    "did_not_come": 25,
    "unreachable": 15,
    "not_eligible": 12,
    "no_longer_needed": 10,
    "person_refused": 8,
}


def load_demo_history(seed: int = 2026) -> int:
    """Create the demo's past referrals once (DEBUG only); return how many were created."""
    if (
        not settings.DEBUG
        or Referral.objects.filter(client_code__startswith=HISTORY_PREFIX).exists()
    ):
        return 0
    desk = get_user_model().objects.filter(username="desk").first()
    services = list(Service.objects.active().prefetch_related("categories"))
    if desk is None or not services:
        return 0
    rng = random.Random(seed)  # noqa: S311  # nosec B311 - synthetic demo data, not security

    def pick(weights: dict):
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    now = timezone.now()
    today = timezone.localdate()
    rows, moments = [], []
    for back in range(HISTORY_MONTHS, -1, -1):
        index = today.year * 12 + today.month - 1 - back
        month_start = today.replace(year=index // 12, month=index % 12 + 1, day=1)
        days = 28 if back else today.day  # every month has 28 days
        growth = 1 + (HISTORY_MONTHS - back) * 0.02  # the desk becomes better known
        count = round(48 * SEASON[month_start.month] * growth * days / 31)
        for _ in range(count):
            created = timezone.make_aware(datetime.combine(month_start, time.min)) + timedelta(
                days=rng.uniform(0, days - 0.01), hours=rng.uniform(8, 17)
            )
            created = min(created, now - timedelta(minutes=5))
            age_days = (now - created).days
            status = (
                pick(OUTCOMES)
                if age_days > 45
                else rng.choice(["sent", "accepted", "accepted", "completed"])
            )
            if status == "sent" and age_days > 10:
                status = "accepted"
            accepted = None
            if status in ("accepted", "completed", "not_completed"):
                accepted = created + timedelta(days=rng.choice([0, 1, 1, 2, 2, 3, 5, 8]), hours=2)
            closed = None
            if status in Referral.CLOSED_STATUSES:
                closed = (accepted or created) + timedelta(days=rng.randint(3, 40))
                closed = min(closed, now - timedelta(minutes=1))
            service = rng.choice(services)
            nationality = pick(NATIONALITIES)
            rows.append(
                Referral(
                    reference=new_reference(),
                    service=service,
                    association_id=service.association_id,
                    need_category=rng.choice(list(service.categories.all())),
                    created_by=desk,
                    client_code=f"{HISTORY_PREFIX}{len(rows):05d}",
                    age_band=pick(AGES),
                    gender=pick(GENDERS),
                    nationality=nationality,
                    region=regions.region_of(nationality),
                    preferred_language=rng.choice(["ar", "ar", "fr", "fr", "es", "en"]),
                    urgency=rng.choice(Referral.Urgency.values),
                    consent_given=True,
                    consent_recorded_at=created,
                    status=status,
                    status_changed_at=closed or accepted or created,
                    accepted_at=accepted,
                    closed_at=closed,
                    outcome_reason_code=pick(REASONS)
                    if status in ("declined", "not_completed")
                    else "",
                    submission_token=uuid.uuid4(),
                )
            )
            moments.append(created)
    with transaction.atomic():
        made = Referral.objects.bulk_create(rows)
        for referral, created in zip(made, moments, strict=True):
            referral.created_at = created  # auto_now_add: set afterwards
        Referral.objects.bulk_update(made, ["created_at"], batch_size=2000)
    return len(made)
