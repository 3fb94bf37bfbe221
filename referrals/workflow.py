"""Every write to referral data: creation, status changes, follow-up, purge.

Each function checks the rules, writes inside one transaction, records a
ReferralEvent for a status change and an AccessLog row for each access.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet import roles
from referrals import notifications, regions
from referrals.models import (
    AccessLog,
    Notification,
    Referral,
    ReferralEvent,
    new_reference,
    validate_follow_up_on,
)

Status = Referral.Status


class WorkflowError(Exception):
    """A change the rules refuse; ``message`` tells the person why, ``status`` the HTTP code."""

    status = 400

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotAllowed(WorkflowError):
    status = 403


class Conflict(WorkflowError):
    """The referral changed since the person loaded it: every such refusal says so alike."""

    status = 409

    def __init__(self):
        super().__init__(
            _(
                "Someone changed this referral while you were looking at it. "
                "Here it is as it is now; check it and try again."
            )
        )


class NeedsConfirmation(WorkflowError):
    """The same person at the desk referred someone to the same service a moment ago:
    probably the same referral again. ``recent`` is that referral."""

    status = 200

    def __init__(self, message, recent: Referral):
        super().__init__(message)
        self.recent = recent


# A second referral to the same service by the same staff member this soon asks first.
REPEAT_WINDOW = timedelta(minutes=10)

# Who is told of each status change, and with which message.
NOTIFY_ON = {
    Status.ACCEPTED: Notification.Kind.ACCEPTED,
    Status.DECLINED: Notification.Kind.DECLINED,
    Status.COMPLETED: Notification.Kind.CLOSED,
    Status.NOT_COMPLETED: Notification.Kind.CLOSED,
    Status.CANCELLED: Notification.Kind.CANCELLED,
}


RECEIVER, DESK = "receiver", "desk"
REFERENCE_ATTEMPTS = 5


@dataclass(frozen=True)
class Move:
    actor: str  # who may make it: the receiving association or the desk
    label: str  # the button that makes it
    needs_reason: bool = False
    # A refusal or an ending rather than the way forward: a secondary button.
    secondary: bool = False


# After UNICEF Primero's referral workflow; anything not listed is refused.
MOVES: dict[tuple[str, str], Move] = {
    (Status.SENT, Status.ACCEPTED): Move(RECEIVER, _("Accept")),
    (Status.SENT, Status.DECLINED): Move(RECEIVER, _("Decline"), needs_reason=True, secondary=True),
    (Status.SENT, Status.CANCELLED): Move(DESK, _("Cancel the referral"), secondary=True),
    (Status.ACCEPTED, Status.COMPLETED): Move(RECEIVER, _("Mark completed")),
    (Status.ACCEPTED, Status.NOT_COMPLETED): Move(
        RECEIVER, _("Mark not completed"), needs_reason=True, secondary=True
    ),
    (Status.ACCEPTED, Status.CANCELLED): Move(DESK, _("Cancel the referral"), secondary=True),
}


def allowed_moves(referral: Referral, user) -> list[tuple[str, Move]]:
    """Return the status changes ``user`` may make on ``referral`` now."""
    return [
        (to_status, move)
        for (from_status, to_status), move in MOVES.items()
        if from_status == referral.status and _may_act(user, referral, move.actor)
    ]


def _may_act(user, referral: Referral, actor: str) -> bool:
    if actor == DESK:
        return roles.is_desk(user)
    return referral.association_id in roles.association_ids(user)


def log_access(user, action: str, referral: Referral | None = None, detail: str = "") -> None:
    """Write one access-log row. Never pass personal data in ``detail``."""
    AccessLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        referral=referral,
        detail=detail[:200],
    )


def recent_referral_to(service, created_by, now=None) -> Referral | None:
    """The referral ``created_by`` made to ``service`` in the last ten minutes, if any."""
    now = now or timezone.now()
    return (
        Referral.objects.filter(
            service=service, created_by=created_by, created_at__gte=now - REPEAT_WINDOW
        )
        .order_by("-created_at")
        .first()
    )


def recorded_with(submission_token: uuid.UUID) -> Referral | None:
    """The referral a form with this token already recorded: the token is spent."""
    return Referral.objects.filter(submission_token=submission_token).first()


@transaction.atomic
def referral_create(
    *, service, created_by, submission_token: uuid.UUID, repeat_confirmed: bool = False, **fields
) -> tuple[Referral, bool]:
    """Create a referral to ``service``; return it and whether it is new.

    A second submission of the same form (same ``submission_token``) returns the
    referral the first one created, so a double click records one referral. A new
    form for the same service by the same person within ten minutes (the back button,
    then Save) raises ``NeedsConfirmation`` unless ``repeat_confirmed``.
    """
    if not roles.is_desk(created_by):
        raise NotAllowed(_("Only desk staff can refer someone."))
    existing = recorded_with(submission_token)
    if existing is not None:
        return existing, False
    if not repeat_confirmed:
        recent = recent_referral_to(service, created_by)
        if recent is not None:
            raise NeedsConfirmation(
                _(
                    "You referred someone to this service a few minutes ago (%(reference)s). "
                    "If this is another referral, confirm it below; otherwise open %(reference)s."
                )
                % {"reference": recent.reference},
                recent,
            )
    referral = Referral(
        service=service,
        association_id=service.association_id,
        created_by=created_by,
        submission_token=submission_token,
        **fields,
    )
    referral.region = regions.region_of(str(referral.nationality or ""))
    if referral.consent_given:
        referral.consent_recorded_at = timezone.now()
    # Uniqueness of these two is handled below, at the database.
    referral.full_clean(exclude=["submission_token", "reference"])
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                referral.save()
            break
        except IntegrityError:
            # The same form submitted twice at once: the other request won the race.
            existing = recorded_with(submission_token)
            if existing is not None:
                return existing, False
            # Or, rarely, a random reference already taken: draw another.
            taken = Referral.objects.filter(reference=referral.reference).exists()
            if not taken or attempt == REFERENCE_ATTEMPTS - 1:
                raise
            referral.reference = new_reference()
    ReferralEvent.objects.create(
        referral=referral, from_status="", to_status=Status.SENT, by=created_by
    )
    detail = "created" if referral.consent_given else "created without consent (override logged)"
    log_access(created_by, AccessLog.Action.CREATE, referral, detail)
    notifications.notify(referral, Notification.Kind.NEW)
    return referral, True


def _check_reason(move: Move, reason_code: str, note: str) -> str:
    """The reason code a move records: required, from the list, explained when "other"."""
    if not move.needs_reason:
        return ""
    if not reason_code:
        raise WorkflowError(_("Choose a reason from the list."))
    if reason_code not in Referral.Reason.values:
        raise WorkflowError(_("This reason is not one of the list."))
    if reason_code == Referral.Reason.OTHER and not note:
        raise WorkflowError(_("Explain the other reason in a few words."))
    return reason_code


@transaction.atomic
def referral_transition(
    *,
    referral: Referral,
    to_status: str,
    by,
    version: int,
    note: str = "",
    reason_code: str = "",
) -> Referral:
    """Move ``referral`` to ``to_status`` if ``by`` may, and it still is at ``version``.

    Declining and "not completed" need a ``reason_code`` from ``Referral.Reason``;
    "other" needs a ``note`` too.
    """
    move = MOVES.get((referral.status, to_status))
    if move is None:
        raise NotAllowed(
            _("A referral that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": referral.get_status_display(),
                "target": dict(Status.choices).get(to_status, to_status),
            }
        )
    if not _may_act(by, referral, move.actor):
        if move.actor == DESK:
            raise NotAllowed(_("Only desk staff can cancel a referral."))
        raise NotAllowed(_("Only the receiving association can answer this referral."))
    note = (note or "").strip()
    reason_code = _check_reason(move, (reason_code or "").strip(), note)
    now = timezone.now()
    closing = to_status in Referral.CLOSED_STATUSES
    updated = Referral.objects.filter(
        pk=referral.pk, version=version, status=referral.status
    ).update(
        status=to_status,
        version=F("version") + 1,
        status_changed_at=now,
        closed_at=now if closing else None,
        accepted_at=now if to_status == Status.ACCEPTED else referral.accepted_at,
        outcome_reason=note if move.needs_reason else referral.outcome_reason,
        outcome_reason_code=reason_code or referral.outcome_reason_code,
        updated_at=now,
    )
    if updated == 0:
        raise Conflict()
    ReferralEvent.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=to_status,
        by=by,
        at=now,
        note=note,
    )
    log_access(by, AccessLog.Action.CHANGE, referral, f"status {referral.status} -> {to_status}")
    referral.refresh_from_db()
    notifications.notify(referral, NOTIFY_ON[to_status])
    return referral


@transaction.atomic
def referral_set_follow_up(
    *, referral: Referral, follow_up_on: date | None, by, version: int
) -> Referral:
    """Set the date the desk will follow the referral up."""
    if not roles.is_desk(by):
        raise NotAllowed(_("Only desk staff can plan a follow-up."))
    if not referral.is_open or referral.purged_at:
        raise WorkflowError(_("A closed referral needs no follow-up."))
    try:
        validate_follow_up_on(follow_up_on)
    except ValidationError as error:
        raise WorkflowError(error.messages[0]) from error
    updated = Referral.objects.filter(pk=referral.pk, version=version).update(
        follow_up_on=follow_up_on, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated == 0:
        raise Conflict()
    log_access(by, AccessLog.Action.CHANGE, referral, "follow-up date")
    referral.refresh_from_db()
    return referral


def purgeable(before: datetime):
    """Closed referrals, closed before ``before``, whose personal data is still there."""
    return Referral.objects.closed().filter(closed_at__lt=before, purged_at__isnull=True)


@transaction.atomic
def purge_referrals(*, before: datetime, by=None) -> int:
    """Erase the personal data of closed referrals closed before ``before``.

    Kept for statistics: service, association, need, age band, gender, region of
    nationality, language, urgency, status and dates. Erased: client code, notes,
    nationality, reasons, follow-up date and the notes of status changes.
    """
    queryset = purgeable(before)
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    Referral.objects.filter(pk__in=ids).update(
        client_code="",
        notes="",
        nationality="",
        consent_override_reason="",
        outcome_reason="",
        follow_up_on=None,
        purged_at=now,
        version=F("version") + 1,
    )
    ReferralEvent.objects.filter(referral_id__in=ids).update(note="")
    log_access(
        by, AccessLog.Action.PURGE, None, f"{len(ids)} referrals closed before {before:%Y-%m-%d}"
    )
    return len(ids)
