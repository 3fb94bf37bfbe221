"""When a record of the catalogue or the directory needs checking: the two moments of
one rule, read by the models' QuerySets, catalogue health, the admin's lists, the
freshness reminders and the statistics.

- *Due for review*: ``VERIFY_AFTER_MONTHS`` (5) months after its last verification, the
  association is e-mailed to review it (``send_verification_requests``).
- *Stale*: six months (``STALE_AFTER``) after it, the record stands out to admins and
  its association; the statistics count the share verified within it.

The reminder comes first on purpose: an association has about a month to confirm or
correct before anyone sees the record as stale.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

# A record not verified for this long is "stale": admins see it stand out.
STALE_AFTER = timedelta(days=183)
# The average month, to turn VERIFY_AFTER_MONTHS into days.
DAYS_PER_MONTH = 365.25 / 12


def stale_threshold() -> date:
    """The day before which a last verification (or a creation) is stale."""
    return timezone.localdate() - STALE_AFTER


def review_after() -> timedelta:
    """How long after its last verification an association is asked to review a record."""
    return timedelta(days=round(settings.VERIFY_AFTER_MONTHS * DAYS_PER_MONTH))


def review_threshold() -> date:
    """The day before which a last verification is due for review (a reminder)."""
    return timezone.localdate() - review_after()


def stale_condition(prefix: str = "") -> Q:
    """Not verified since ``stale_threshold()``, or never (``prefix`` reaches a relation)."""
    return Q(**{f"{prefix}last_verified_on__isnull": True}) | Q(
        **{f"{prefix}last_verified_on__lt": stale_threshold()}
    )


def review_condition(prefix: str = "") -> Q:
    """Not verified since ``review_threshold()``, or never: due for review."""
    return Q(**{f"{prefix}last_verified_on__isnull": True}) | Q(
        **{f"{prefix}last_verified_on__lt": review_threshold()}
    )
