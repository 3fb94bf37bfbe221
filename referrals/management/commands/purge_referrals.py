from calendar import monthrange
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from referrals.workflow import purge_referrals, purgeable


def months_ago(now: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months before ``now`` (clamped to month end)."""
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    return now.replace(year=year, month=month, day=min(now.day, monthrange(year, month)[1]))


class Command(BaseCommand):
    help = (
        "Erase the personal data of closed referrals closed more than N months ago; "
        "statistics keep counting them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-months",
            type=int,
            default=settings.REFERRAL_RETENTION_MONTHS,
            help=f"default {settings.REFERRAL_RETENTION_MONTHS} (REFERRAL_RETENTION_MONTHS)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be purged, change nothing"
        )

    def handle(self, *args, older_than_months: int, dry_run: bool, **options):
        if older_than_months < 1:
            raise CommandError("--older-than-months must be at least 1.")
        before = months_ago(timezone.now(), older_than_months)
        if dry_run:
            count = purgeable(before).count()
            self.stdout.write(
                f"Dry run: {count} closed referrals closed before {before:%Y-%m-%d} "
                "would have their personal data erased."
            )
            return
        count = purge_referrals(before=before)
        self.stdout.write(
            f"Erased the personal data of {count} closed referrals closed before {before:%Y-%m-%d}."
        )
