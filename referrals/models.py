import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from associations.models import Association
from guichet import roles
from referrals import regions
from services.models import Category, Service

# No 0/O, 1/I/L: references are read aloud and typed from paper slips.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """Return a random reference such as ``R-7K3M9Q``: it says nothing of how many exist."""
    return "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def new_client_code() -> str:
    """Return a random pseudonym such as ``P-4HX9TW`` for a person who has none yet."""
    return "P-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


CONSENT_REQUIRED = _("Record the person's consent, or give the reason for referring without it.")

client_code_validator = RegexValidator(
    r"^[A-Z0-9-]{4,20}$",
    _("Use 4 to 20 capital letters, digits and hyphens: a code, never a name or an ID number."),
)


def validate_follow_up_on(value) -> None:
    """A follow-up is planned for today or later: a date in the past is a typing slip."""
    if value is not None and value < timezone.localdate():
        raise ValidationError(
            _("Choose today or a later date for the follow-up."), code="follow_up_in_past"
        )


class ReferralQuerySet(models.QuerySet):
    # Each list's rule is written once, as a condition: the methods below filter by
    # it, and the dashboard counts all its tabs in one query with the same conditions.
    @staticmethod
    def open_condition() -> Q:
        return Q(status__in=Referral.OPEN_STATUSES)

    @staticmethod
    def closed_condition() -> Q:
        return Q(status__in=Referral.CLOSED_STATUSES)

    @staticmethod
    def follow_up_condition(now: datetime | None = None) -> Q:
        """Open, and unchanged for a week or whose follow-up date has come."""
        now = now or timezone.now()
        return ReferralQuerySet.open_condition() & (
            Q(status_changed_at__lt=now - Referral.FOLLOW_UP_AFTER)
            | Q(follow_up_on__lte=timezone.localdate(now))
        )

    def visible_to(self, user) -> "ReferralQuerySet":
        """Return the referrals ``user`` may see: all for the desk, their own
        association's for association staff, none for anyone else."""
        if roles.is_desk(user):
            return self.all()
        association_ids = roles.association_ids(user)
        if association_ids:
            return self.filter(association_id__in=association_ids)
        return self.none()

    def closed(self) -> "ReferralQuerySet":
        return self.filter(self.closed_condition())

    def needs_follow_up(self, now: datetime | None = None) -> "ReferralQuerySet":
        """Return the open referrals unchanged for a week, or whose follow-up date has come."""
        return self.filter(self.follow_up_condition(now))


class Referral(models.Model):
    """The desk sending one person to one service, followed until it closes."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")
        CANCELLED = "cancelled", _("Cancelled")

    class AgeBand(models.TextChoices):
        CHILD = "0-11", _("Under 12")
        TEEN = "12-17", _("12 to 17")
        YOUNG = "18-25", _("18 to 25")
        ADULT = "26-35", _("26 to 35")
        MIDDLE = "36-50", _("36 to 50")
        OLDER = "51-64", _("51 to 64")
        SENIOR = "65+", _("65 and over")
        UNKNOWN = "unknown", _("Not known")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman or girl")
        MALE = "male", _("Man or boy")
        OTHER = "other", _("Another gender")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        URGENT = "urgent", _("Urgent (within days)")
        EMERGENCY = "emergency", _("Emergency (today)")

    class Reason(models.TextChoices):
        """Why a referral was declined or not completed, after UNICEF Primero's list."""

        PERSON_REFUSED = "person_refused", _("The person refused the service")
        NO_CAPACITY = "no_capacity", _("No capacity")
        NO_LONGER_NEEDED = "no_longer_needed", _("No longer needed")
        UNREACHABLE = "unreachable", _("Could not reach the person")
        DID_NOT_COME = "did_not_come", _("The person did not come")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        OTHER = "other", _("Other reason (explain)")

    OPEN_STATUSES = (Status.SENT, Status.ACCEPTED)
    CLOSED_STATUSES = (
        Status.DECLINED,
        Status.COMPLETED,
        Status.NOT_COMPLETED,
        Status.CANCELLED,
    )
    FOLLOW_UP_AFTER = timedelta(days=7)

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("receiving association"),
        editable=False,
    )
    need_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("need")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_created",
        verbose_name=_("created by"),
        editable=False,
    )
    client_code = models.CharField(
        _("client code"), max_length=20, blank=True, validators=[client_code_validator]
    )
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    region = models.CharField(
        _("region of nationality"),
        max_length=20,
        choices=regions.CHOICES,
        blank=True,
        editable=False,
    )
    preferred_language = models.CharField(
        _("language for the slip"), max_length=5, choices=settings.LANGUAGES
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency, default=Urgency.ROUTINE
    )
    consent_given = models.BooleanField(
        _("the person agrees to share this referral with the receiving association"), default=False
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, editable=False)
    consent_override_reason = models.CharField(
        _("reason for referring without consent"), max_length=300, blank=True
    )
    notes = models.TextField(_("notes"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status, default=Status.SENT, editable=False
    )
    # Counted by the statistics, so kept by the retention purge (the text is not).
    outcome_reason_code = models.CharField(
        _("reason"), max_length=20, choices=Reason, blank=True, editable=False
    )
    outcome_reason = models.CharField(
        _("reason, in words"), max_length=300, blank=True, editable=False
    )
    follow_up_on = models.DateField(
        _("follow up on"), null=True, blank=True, validators=[validate_follow_up_on]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status_changed_at = models.DateTimeField(
        _("status changed at"), default=timezone.now, editable=False
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, editable=False)
    purged_at = models.DateTimeField(_("personal data purged at"), null=True, editable=False)
    # Optimistic locking: a change names the version it was made on.
    version = models.PositiveIntegerField(default=1, editable=False)
    # One per form: a second submission of the same form finds the first referral.
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["association", "status"], name="referral_assoc_status_idx"),
            models.Index(fields=["status", "status_changed_at"], name="referral_status_idx"),
            # Covers the statistics (every column they count), so that their scan of a
            # date range reads this index alone, not the wide rows.
            models.Index(
                fields=["created_at"],
                name="referral_created_idx",
                include=[
                    "need_category",
                    "association",
                    "region",
                    "nationality",
                    "age_band",
                    "gender",
                    "status",
                    "accepted_at",
                    "closed_at",
                    "outcome_reason_code",
                ],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given=True)
                | ~Q(consent_override_reason="")
                | Q(purged_at__isnull=False),
                name="referral_consent_or_override",
                violation_error_message=CONSENT_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "sent",
                        "accepted",
                        "declined",
                        "completed",
                        "not_completed",
                        "cancelled",
                    ]
                ),
                name="referral_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(client_code__regex=r"^[A-Z0-9-]{4,20}$") | Q(purged_at__isnull=False),
                name="referral_client_code_pseudonym",
            ),
            models.CheckConstraint(
                condition=Q(outcome_reason_code="")
                | Q(
                    outcome_reason_code__in=[
                        "person_refused",
                        "no_capacity",
                        "no_longer_needed",
                        "unreachable",
                        "did_not_come",
                        "not_eligible",
                        "other",
                    ]
                ),
                name="referral_reason_code_valid",
            ),
            # Declined and not completed always say why, as a code that can be counted.
            models.CheckConstraint(
                condition=~Q(status__in=["declined", "not_completed"]) | ~Q(outcome_reason_code=""),
                name="referral_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome_reason_code="other")
                | ~Q(outcome_reason="")
                | Q(purged_at__isnull=False),
                name="referral_other_reason_explained",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        # The rule of the referral_consent_or_override constraint, told at the field
        # that fixes it (the form shows it there); a blank reason counts as none.
        if not self.consent_given and not self.consent_override_reason.strip():
            raise ValidationError({"consent_override_reason": CONSENT_REQUIRED})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def slip_printable(self) -> bool:
        """A slip sends a person somewhere: only while the referral is still open."""
        return self.is_open and self.purged_at is None


class ReferralEvent(models.Model):
    """One status change of a referral: from, to, who, when, why."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="events", verbose_name=_("referral")
    )
    from_status = models.CharField(_("from"), max_length=15, blank=True, choices=Referral.Status)
    to_status = models.CharField(_("to"), max_length=15, choices=Referral.Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referral_events",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.referral} {self.from_status or '—'} → {self.to_status}"


class AccessLog(models.Model):
    """Who viewed, changed or exported referral data, and when. Append-only.

    The application never updates or deletes a row. In the database its role may only
    INSERT and SELECT, triggers refuse UPDATE, DELETE and TRUNCATE, and each row is
    chained to the previous one by a hash (guichet/dbroles.py, migrations 0002 and 0005).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        PRINT = "print", _("Printed a slip")
        EXPORT = "export", _("Exported")
        PURGE = "purge", _("Purged personal data")
        REFUSED = "refused", _("Refused")
        GRANT = "grant", _("Gave staff access")
        REVOKE = "revoke", _("Removed staff access")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("referral"),
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    # Set by the database on insert (referrals/migrations/0005): the SHA-256 of this row's
    # fields and of the previous row's hash, so an altered or removed row breaks the chain
    # (`manage.py verify_access_log`). A new field must be added to the hash there too.
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.referral or ''}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only.")


class StaffPreferences(models.Model):
    """What a staff member chose for themselves: the language of their e-mails, and
    whether they want e-mails at all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guichet_preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of your e-mails"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    email_notifications = models.BooleanField(
        _("send me e-mails about referrals"),
        default=True,
        help_text=_("New referrals, answers, and reminders of referrals waiting for you."),
    )

    class Meta:
        verbose_name = _("staff preferences")
        verbose_name_plural = _("staff preferences")

    def __str__(self) -> str:
        return str(self.user)


class Notification(models.Model):
    """One e-mail about a referral: to whom, which, why, when it left. Never its body.

    The unique key makes each message once-only: the same event, or the same reminder
    for the same due date, cannot be sent twice to the same person.
    """

    class Kind(models.TextChoices):
        NEW = "new", _("New referral")
        ACCEPTED = "accepted", _("Referral accepted")
        DECLINED = "declined", _("Referral declined")
        CLOSED = "closed", _("Referral closed")
        CANCELLED = "cancelled", _("Referral cancelled")
        UNANSWERED = "unanswered", _("Reminder: referral still unanswered")
        FOLLOW_UP = "follow_up", _("Reminder: follow-up date reached")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="guichet_notifications",
        verbose_name=_("recipient"),
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("referral"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    # For a reminder, the day it is about (answer due, follow-up date); empty for an event.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail notification")
        verbose_name_plural = _("e-mail notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "referral", "kind", "due_on"],
                name="notification_once",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="notification_unsent_idx",
                condition=Q(sent_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.referral} → {self.recipient}"
