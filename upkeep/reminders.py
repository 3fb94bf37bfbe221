"""Freshness reminders: ask each association whose services went stale to review them.

Idempotent and at most monthly: an association reminded within ``REMIND_EVERY`` is left
alone, so running the command daily from cron (or twice by mistake) sends nothing more.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from associations.models import Association
from services.models import Service
from upkeep.models import VerificationRequest

REMIND_EVERY = timedelta(days=30)


def stale_before():
    """The date before which a verification is too old (VERIFY_AFTER_MONTHS months)."""
    return timezone.localdate() - timedelta(days=round(settings.VERIFY_AFTER_MONTHS * 30.44))


def stale_services():
    """The services the public sees whose last verification is too old, or missing."""
    return Service.objects.published().filter(
        Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=stale_before())
    )


def _message(association: Association, count: int) -> tuple[str, str]:
    link = settings.SITE_URL.rstrip("/") + reverse("upkeep:our_services")
    subject = _("Please check your services in the Tangier catalogue")
    body = "\n\n".join(
        [
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
            link,
        ]
    )
    return subject, body


def send_verification_requests(*, now=None) -> list[VerificationRequest]:
    """E-mail the staff of each association with stale services, unless reminded within
    ``REMIND_EVERY``; return the requests recorded."""
    now = now or timezone.now()
    sent = []
    ids = stale_services().values_list("association_id", flat=True).distinct()
    for association_id in ids:
        with transaction.atomic():
            # Locked, so that two runs at once remind an association once.
            association = Association.objects.select_for_update().get(pk=association_id)
            if association.verification_requests.filter(sent_at__gt=now - REMIND_EVERY).exists():
                continue
            count = stale_services().filter(association=association).count()
            staff = (
                get_user_model()
                .objects.filter(is_active=True, memberships__association=association)
                .exclude(email="")
            )
            recipients = 0
            for user in staff:
                # In the site's language until staff choose theirs (issue 14's preferences).
                with translation.override(settings.LANGUAGE_CODE):
                    subject, body = _message(association, count)
                send_mail(subject, body, None, [user.email])
                recipients += 1
            if recipients:
                sent.append(
                    VerificationRequest.objects.create(
                        association=association, stale_services=count, recipients=recipients
                    )
                )
    return sent
