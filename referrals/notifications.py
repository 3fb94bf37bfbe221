"""E-mails about referrals: who is told of what, in their own language, and a record of each.

A message carries the referral's reference, the service and a link, never personal data
(no client code, nationality or notes): an e-mail travels through servers the city does
not run. Each message is a ``Notification`` row, written in the same transaction as the
change it tells of and sent once that transaction commits; a message that could not be
sent (SMTP down, address refused) stays unsent, is logged, and ``send_reminders`` tries
it again.
"""

import contextlib
import logging
import smtplib
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from referrals.models import Notification, Referral, ReferralQuerySet, StaffPreferences

logger = logging.getLogger(__name__)
Kind = Notification.Kind

# A message that failed this many times is left alone (and stays recorded as unsent).
MAX_ATTEMPTS = 5
# Unsent messages older than this are not retried: the news is stale.
RETRY_FOR = timedelta(days=7)

# Sent to the receiving association's staff; the others go to the referral's author.
TO_ASSOCIATION = {Kind.NEW, Kind.CANCELLED, Kind.UNANSWERED}


def recipients(referral: Referral, kind: str) -> list:
    """The active staff to tell of ``kind``, with an e-mail address and e-mails wanted."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if kind in TO_ASSOCIATION:
        users = users.filter(memberships__association_id=referral.association_id)
    else:
        users = users.filter(pk=referral.created_by_id)
    return list(
        users.exclude(guichet_preferences__email_notifications=False)
        .select_related("guichet_preferences")
        .distinct()
    )


def notify(referral: Referral, kind: str, due_on: date | None = None) -> list[Notification]:
    """Record the messages telling of ``kind``, and send them once the change commits.

    A message already recorded (same person, referral, kind and due date) is not
    recorded again: telling twice is impossible, at the database too.
    """
    created = []
    for user in recipients(referral, kind):
        try:
            with transaction.atomic():
                notification, new = Notification.objects.get_or_create(
                    recipient=user, referral=referral, kind=kind, due_on=due_on
                )
        except IntegrityError:  # another process recorded it at the same moment
            continue
        if new:
            created.append(notification)
    if created:
        ids = [notification.pk for notification in created]
        transaction.on_commit(lambda: deliver(ids))
    return created


def language_of(user) -> str:
    """The language ``user`` chose for their e-mails, else the site's default."""
    try:
        return user.guichet_preferences.language
    except StaffPreferences.DoesNotExist:
        return settings.LANGUAGE_CODE


def link(path: str) -> str:
    """An absolute link to ``path`` on the site (``SITE_URL``), for an e-mail."""
    return settings.SITE_URL.rstrip("/") + path


def staff_email(user, compose: Callable[[], tuple[str, list[str]]]) -> EmailMessage:
    """The message ``compose()`` writes, as ``(subject, paragraphs)``, in ``user``'s
    language (reverse() and the content fields included), greeting first: every staff
    e-mail of Guichet, about referrals or not, is written through here."""
    with translation.override(language_of(user)):
        subject, paragraphs = compose()
        body = "\n\n".join([_("Hello,"), *paragraphs])
    return EmailMessage(
        subject=f"[Guichet] {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def send_now(messages: list[EmailMessage], *, what: str) -> int:
    """Send ``messages`` over one connection; return how many left. A failure is logged
    (never an address or a body) and never raised: the change that the message tells of
    is already saved."""
    sent = 0
    try:
        connection = get_connection(fail_silently=False)
        with connection:
            for message in messages:
                try:
                    connection.send_messages([message])
                    sent += 1
                except (smtplib.SMTPException, OSError) as error:
                    logger.warning("E-mail (%s) not sent: %s", what, type(error).__name__)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("E-mail (%s): no connection: %s", what, type(error).__name__)
    return sent


def _subject(kind: str, reference: str) -> str:
    subjects = {
        Kind.NEW: _("New referral %(reference)s for your association"),
        Kind.ACCEPTED: _("Referral %(reference)s was accepted"),
        Kind.DECLINED: _("Referral %(reference)s was declined"),
        Kind.CLOSED: _("Referral %(reference)s was closed"),
        Kind.CANCELLED: _("Referral %(reference)s was cancelled by the desk"),
        Kind.UNANSWERED: _("Reminder: referral %(reference)s is waiting for your answer"),
        Kind.FOLLOW_UP: _("Reminder: referral %(reference)s is due for follow-up"),
    }
    return subjects[kind] % {"reference": reference}


def _lead(notification: Notification) -> str:
    referral = notification.referral
    values = {
        "reference": referral.reference,
        "service": referral.service.name,
        "days": settings.REFERRAL_ANSWER_DAYS,
    }
    kind = notification.kind
    if kind == Kind.NEW:
        return (
            _("The desk has sent referral %(reference)s to your association, for “%(service)s”.")
            % values
        )
    if kind == Kind.ACCEPTED:
        return _("Referral %(reference)s to “%(service)s” was accepted.") % values
    if kind == Kind.DECLINED:
        return (
            _("Referral %(reference)s to “%(service)s” was declined. The reason is on its page.")
            % values
        )
    if kind == Kind.CLOSED:
        return _(
            "Referral %(reference)s to “%(service)s” was closed with the outcome “%(status)s”."
        ) % {**values, "status": referral.get_status_display()}
    if kind == Kind.CANCELLED:
        return (
            _("The desk cancelled referral %(reference)s to “%(service)s”. Nothing more is needed.")
            % values
        )
    if kind == Kind.UNANSWERED:
        return (
            _(
                "Referral %(reference)s to “%(service)s” has waited more than %(days)s working "
                "days for your answer. Please accept or decline it."
            )
            % values
        )
    return (
        _("Referral %(reference)s to “%(service)s” is due for follow-up today or earlier.") % values
    )


def render(notification: Notification) -> EmailMessage:
    """The message for ``notification``, in its recipient's language."""
    referral = notification.referral

    def compose() -> tuple[str, list[str]]:
        return _subject(notification.kind, referral.reference), [
            _lead(notification),
            _("Open it: %(link)s")
            % {"link": link(reverse("desk:referral_detail", args=[referral.reference]))},
            "-- ",
            _(
                "You receive this e-mail because you work with referrals in Guichet. "
                "To change its language or stop these e-mails: %(link)s"
            )
            % {"link": link(reverse("desk:preferences"))},
        ]

    return staff_email(notification.recipient, compose)


def deliver(ids: Iterable[int]) -> int:
    """Send the unsent messages among ``ids``; return how many left. Never raises on a
    mail failure: it is logged, counted on the row, and retried later.

    Each row is locked while it is sent (and skipped when another process holds it),
    so two runs at once cannot send one message twice.
    """
    sent = 0
    connection = None
    try:
        for pk in ids:
            with transaction.atomic():
                notification = (
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(pk=pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
                    .select_related("referral__service", "recipient__guichet_preferences")
                    .first()
                )
                if notification is None:
                    continue
                notification.attempts += 1
                if not notification.recipient.email or not notification.recipient.is_active:
                    notification.last_error = "no address"
                    notification.save(update_fields=["attempts", "last_error"])
                    continue
                try:
                    connection = connection or get_connection(fail_silently=False)
                    connection.send_messages([render(notification)])
                except (smtplib.SMTPException, OSError) as error:
                    notification.last_error = type(error).__name__[:100]
                    notification.save(update_fields=["attempts", "last_error"])
                    logger.warning(
                        "E-mail notification %s (%s, referral %s) not sent, attempt %s: %s",
                        notification.pk,
                        notification.kind,
                        notification.referral.reference,
                        notification.attempts,
                        type(error).__name__,
                    )
                    connection = None
                    continue
                notification.sent_at = timezone.now()
                notification.last_error = ""
                notification.save(update_fields=["attempts", "last_error", "sent_at"])
                sent += 1
    finally:
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()
    return sent


# --- Reminders (the daily ``send_reminders`` command) ------------------------------


def add_working_days(day: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``day``."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def answer_due_on(referral: Referral) -> date:
    """The day an unanswered referral becomes late: REFERRAL_ANSWER_DAYS working days
    after it was sent, in the city's calendar."""
    sent_on = timezone.localdate(referral.created_at)
    return add_working_days(sent_on, settings.REFERRAL_ANSWER_DAYS)


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Record and send today's reminders, and retry the messages that failed.

    Idempotent: run it twice, the second run records nothing new (each reminder is
    keyed by its due date) and sends only what is still unsent.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"unanswered": 0, "follow_up": 0}
    # Every referral still "sent" at least N calendar days old is a candidate; the
    # working-day count is then made in Python (weekends only, not public holidays).
    candidates = (
        Referral.objects.filter(status=Referral.Status.SENT, purged_at__isnull=True)
        .filter(created_at__lt=now - timedelta(days=settings.REFERRAL_ANSWER_DAYS))
        .select_related("service")
    )
    for referral in candidates.iterator():
        due = answer_due_on(referral)
        if due <= today:
            with transaction.atomic():
                counts["unanswered"] += len(notify(referral, Kind.UNANSWERED, due_on=due))
    for referral in (
        Referral.objects.filter(ReferralQuerySet.open_condition())
        .filter(follow_up_on__lte=today, purged_at__isnull=True)
        .select_related("service")
        .iterator()
    ):
        with transaction.atomic():
            counts["follow_up"] += len(
                notify(referral, Kind.FOLLOW_UP, due_on=referral.follow_up_on)
            )
    # The new ones were sent as each transaction committed; now the ones that failed.
    unsent = Notification.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__gte=now - RETRY_FOR
    ).values_list("pk", flat=True)
    counts["retried"] = deliver(list(unsent))
    counts["unsent"] = Notification.objects.filter(
        Q(sent_at__isnull=True), created_at__gte=now - RETRY_FOR
    ).count()
    return counts
