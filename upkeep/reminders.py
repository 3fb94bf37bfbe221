"""Freshness reminders: ask each association whose services are due for review to check
them (``guichet.freshness``: due after VERIFY_AFTER_MONTHS, a month before they turn stale).

Idempotent and at most monthly: an association reminded within ``REMIND_EVERY`` is left
alone, so running the command daily from cron (or twice by mistake, or twice at once)
sends nothing more. Each member of its staff reads the message in the language they chose
for their e-mails (``referrals.StaffPreferences``), else the site's.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import Association
from referrals.notifications import link, send_now, staff_email
from services.models import Service
from upkeep.emails import footer
from upkeep.models import VerificationRequest

REMIND_EVERY = timedelta(days=30)


def due_for_review():
    """The services the public sees whose last verification is due for review, or missing."""
    return Service.objects.published().due_for_review()


def _message(association: Association, count: int) -> tuple[str, list[str]]:
    subject = _("Please check your services in the Tangier catalogue")
    return subject, [
        _(
            "%(count)d of the services of %(association)s have not been checked for "
            "%(months)d months or more."
        )
        % {
            "count": count,
            "association": association.name,
            "months": settings.VERIFY_AFTER_MONTHS,
        },
        _(
            "People rely on these pages to find help. Please open them, propose any "
            "change, or confirm in one click that each one is still correct:"
        ),
        link(reverse("upkeep:our_services")),
        *footer(),
    ]


def send_verification_requests(*, now=None) -> list[VerificationRequest]:
    """E-mail the staff of each association with services due for review, unless
    reminded within ``REMIND_EVERY``; return the requests recorded.

    An association is recorded as reminded only when a message left; one whose staff
    could not be reached is tried again the next day.
    """
    now = now or timezone.now()
    sent = []
    ids = due_for_review().values_list("association_id", flat=True).distinct()
    for association_id in ids:
        with transaction.atomic():
            # Locked, so that two runs at once remind an association once.
            association = Association.objects.select_for_update().get(pk=association_id)
            if association.verification_requests.filter(sent_at__gt=now - REMIND_EVERY).exists():
                continue
            count = due_for_review().filter(association=association).count()
            staff = (
                get_user_model()
                .objects.filter(is_active=True, memberships__association=association)
                .exclude(email="")
                .select_related("guichet_preferences")
            )
            compose = partial(_message, association, count)
            messages = [staff_email(user, compose) for user in staff]
            recipients = send_now(messages, what=f"verification request {association.slug}")
            if recipients:
                sent.append(
                    VerificationRequest.objects.create(
                        association=association, stale_services=count, recipients=recipients
                    )
                )
    return sent
