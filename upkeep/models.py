from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from services.models import Service
from upkeep.proposals import ASSOCIATION, LOCATION, SERVICE

# A report's text: enough to say what is wrong, too short for a life story.
REPORT_MAX_LENGTH = 500


class ProblemReportQuerySet(models.QuerySet):
    def open(self) -> "ProblemReportQuerySet":
        return self.filter(status=ProblemReport.Status.OPEN)

    def for_association(self, association_ids) -> "ProblemReportQuerySet":
        """Return the reports about the services of the given associations."""
        return self.filter(service__association_id__in=association_ids)


class ProblemReport(models.Model):
    """A visitor saying that a service's public information is wrong.

    Anonymous on purpose: no account, no contact details, no address kept (the rate
    limit counts a hash of the address in the cache, never here).
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", _("The service is closed or no longer exists")
        CONTACT = "contact", _("The phone number or the address is wrong")
        HOURS = "hours", _("The opening hours are wrong")
        DESCRIPTION = "description", _("The description is wrong")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Resolution(models.TextChoices):
        CORRECTED = "corrected", _("Corrected")
        NO_CHANGE = "no_change", _("Checked: nothing to change")
        NOT_RELEVANT = "not_relevant", _("Not about this service, or abuse")

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="problem_reports",
        verbose_name=_("service"),
    )
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind)
    text = models.TextField(_("details"), max_length=REPORT_MAX_LENGTH, blank=True)
    language = models.CharField(_("language of the page"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    resolution = models.CharField(
        _("how it was closed"), max_length=20, choices=Resolution, blank=True
    )
    closing_note = models.CharField(_("closing note"), max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_idx")]
        constraints = [
            # Closed exactly when someone closed it, saying how; the database keeps it so.
            models.CheckConstraint(
                condition=(
                    Q(status="open", closed_by__isnull=True, closed_at__isnull=True, resolution="")
                    | (
                        Q(status="closed", closed_by__isnull=False, closed_at__isnull=False)
                        & ~Q(resolution="")
                    )
                ),
                name="report_closed_records_who_and_how",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), REPORT_MAX_LENGTH),
                name="report_text_short",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.service}"


class Verification(models.Model):
    """Someone confirming that a service's public information is still correct."""

    class How(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed unchanged by the association")
        PROPOSAL = "proposal", _("Proposal approved")

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="verifications",
        verbose_name=_("service"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    how = models.CharField(_("how"), max_length=20, choices=How, default=How.CONFIRMED)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self) -> str:
        return f"{self.service} — {self.at:%Y-%m-%d}"


class ProposalQuerySet(models.QuerySet):
    def pending(self) -> "ProposalQuerySet":
        return self.filter(status=Proposal.Status.PENDING)

    def for_association(self, association_ids) -> "ProposalQuerySet":
        return self.filter(association_id__in=association_ids)


class Proposal(models.Model):
    """A change that an association's staff proposed to one of its services, to the
    association itself or to one of its locations: nothing public changes until a
    municipal admin approves it (or at once for a trusted association, still recorded
    here). ``proposed`` holds the values asked for, ``base`` the values of the record
    when the proposal was made (``upkeep.proposals`` reads and applies both)."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("Change to a service")
        NEW = "new", _("New service")
        CLOSE = "close", _("Closing a service")
        ASSOCIATION = "association", _("Change to the association")
        LOCATION = "location", _("Change to a location")
        NEW_LOCATION = "new_location", _("New location")

    # The kinds that create their record on approval, and those about a service.
    CREATING = (Kind.NEW, Kind.NEW_LOCATION)
    ABOUT_A_SERVICE = (Kind.CHANGE, Kind.NEW, Kind.CLOSE)

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved and published")
        REJECTED = "rejected", _("Rejected")

    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("association"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("service"),
        help_text=_("Empty for a new service until it is approved."),
    )
    location = models.ForeignKey(
        "associations.Location",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("location"),
        help_text=_("Empty for a new location until it is approved."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    proposed = models.JSONField(_("proposed values"), default=dict)
    base = models.JSONField(_("values it was based on"), default=dict, blank=True)
    message = models.CharField(_("message to the city"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    published_at_once = models.BooleanField(
        _("published at once (trusted association)"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    applied_despite_conflict = models.BooleanField(
        _("applied although the record had changed"), default=False
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["status", "created_at"], name="proposal_status_idx")]
        constraints = [
            # Each proposal names the record it changes (a new one, once created).
            models.CheckConstraint(
                condition=Q(kind="new")
                | Q(kind__in=["change", "close"], service__isnull=False)
                | Q(kind__in=["association", "location", "new_location"], service=None),
                name="proposal_names_its_service",
            ),
            models.CheckConstraint(
                condition=Q(kind="new_location")
                | Q(kind="location", location__isnull=False)
                | Q(kind__in=["change", "new", "close", "association"], location=None),
                name="proposal_names_its_location",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="proposal_decided_when",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="proposal_rejected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.subject}"

    @property
    def creates(self) -> bool:
        return self.kind in self.CREATING

    @property
    def shape(self):
        if self.kind in self.ABOUT_A_SERVICE:
            return SERVICE
        return ASSOCIATION if self.kind == self.Kind.ASSOCIATION else LOCATION

    @property
    def record(self):
        """The service, location or association the proposal changes (None for a
        record that its approval will create)."""
        if self.kind == self.Kind.ASSOCIATION:
            return self.association
        if self.kind in self.ABOUT_A_SERVICE:
            return self.service
        return self.location

    @property
    def subject(self) -> str:
        """What the proposal is about, as a reviewer names it."""
        return str(self.record or self.proposed.get("name_fr", ""))


class VerificationRequest(models.Model):
    """A reminder e-mailed to an association's staff to review its stale services
    (``send_verification_requests``); one row per association and sending."""

    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        related_name="verification_requests",
        verbose_name=_("association"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    stale_services = models.PositiveIntegerField(_("services to review"))
    recipients = models.PositiveIntegerField(_("recipients"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        indexes = [models.Index(fields=["association", "sent_at"], name="verifreq_assoc_idx")]

    def __str__(self) -> str:
        return f"{self.association} — {self.sent_at:%Y-%m-%d}"
