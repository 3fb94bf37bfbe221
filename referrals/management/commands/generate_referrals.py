"""Generate synthetic referrals for benchmarks (bulk inserts, spread over 18 months)."""

import random
import time as clock
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from guichet import dbroles, roles
from referrals import regions
from referrals.models import Referral, new_reference
from services.models import Service

BATCH = 5000
NATIONALITIES = ["SN", "CI", "GN", "ML", "CM", "NG", "CD", "SD", "SY", "MA", "DZ", "FR", "ES", "YE"]
# Every reason but "other", which would need words.
REASONS = [code for code in Referral.Reason.values if code != "other"]


class Command(BaseCommand):
    help = "Generate N synthetic referrals (needs services: load_demo or generate_catalogue)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="how many referrals")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args, count: int, seed: int, **options):
        if count < 1 or count > 5_000_000:
            raise CommandError("--count must be between 1 and 5,000,000.")
        services = list(Service.objects.active().prefetch_related("categories")[:2000])
        if not services:
            raise CommandError("There is no active service: run load_demo or generate_catalogue.")
        started = clock.monotonic()
        # Synthetic data, not security.
        rng = random.Random(seed)  # nosec B311
        user_model = get_user_model()
        desk, _created = user_model.objects.get_or_create(
            username="generated-desk", defaults={"is_active": False}
        )
        desk.groups.add(Group.objects.get_or_create(name=roles.DESK)[0])
        now = timezone.now()
        ages = Referral.AgeBand.values
        genders = [*Referral.Gender.values, ""]
        languages = [code for code, _name in settings.LANGUAGES]
        statuses = Referral.Status.values
        rows = []
        references = set(Referral.objects.values_list("reference", flat=True))
        for _ in range(count):
            reference = new_reference()
            while reference in references:
                reference = new_reference()
            references.add(reference)
            service = rng.choice(services)
            created = now - timedelta(days=rng.uniform(0, 540))
            status = rng.choice(statuses)
            accepted = (
                created + timedelta(days=rng.uniform(0, 10))
                if status in ("accepted", "completed", "not_completed")
                else None
            )
            closed = (
                created + timedelta(days=rng.uniform(1, 60))
                if status in Referral.CLOSED_STATUSES
                else None
            )
            nationality = rng.choice(NATIONALITIES) if rng.random() < 0.85 else ""
            rows.append(
                Referral(
                    reference=reference,
                    service=service,
                    association_id=service.association_id,
                    need_category=rng.choice(list(service.categories.all())),
                    created_by=desk,
                    client_code=f"P-G{rng.randrange(10**6):06d}",
                    age_band=rng.choice(ages),
                    gender=rng.choice(genders),
                    nationality=nationality,
                    region=regions.region_of(nationality),
                    preferred_language=rng.choice(languages),
                    urgency=rng.choice(Referral.Urgency.values),
                    consent_given=True,
                    consent_recorded_at=created,
                    status=status,
                    status_changed_at=closed or accepted or created,
                    accepted_at=accepted,
                    closed_at=closed,
                    outcome_reason_code=rng.choice(REASONS)
                    if status in ("declined", "not_completed")
                    else "",
                    submission_token=uuid.uuid4(),
                )
            )
            rows[-1]._created = created
        with transaction.atomic():
            made = Referral.objects.bulk_create(rows, batch_size=BATCH)
            # created_at is auto_now_add: spread the referrals over time afterwards.
            for start in range(0, len(made), BATCH):
                chunk = made[start : start + BATCH]
                for referral, source in zip(chunk, rows[start : start + BATCH], strict=True):
                    referral.created_at = source._created
                Referral.objects.bulk_update(chunk, ["created_at"], batch_size=BATCH)
        # A bulk load: the statistics' queries are planned on fresh figures.
        dbroles.refresh_statistics(Referral._meta.db_table)
        self.stdout.write(f"Generated {count} referrals in {clock.monotonic() - started:.1f} s.")
