"""When a record of the catalogue or the directory stops being fresh: one rule, read by
the models' QuerySets, catalogue health and the admin's lists."""

from datetime import date, timedelta

from django.utils import timezone

# A record not verified for this long is "stale": admins see it stand out.
STALE_AFTER = timedelta(days=183)


def stale_threshold() -> date:
    """The day before which a last verification (or a creation) is stale."""
    return timezone.localdate() - STALE_AFTER
