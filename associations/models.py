import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.freshness import review_condition, stale_condition, stale_threshold

phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-.]{6,25}$",
    _("Enter a phone number with digits, spaces and an optional leading +."),
)


class District(models.Model):
    """A district or neighbourhood of the city, used to filter the catalogue."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class AssociationQuerySet(models.QuerySet):
    def active(self) -> "AssociationQuerySet":
        return self.filter(is_active=True)

    def stale(self) -> "AssociationQuerySet":
        """Not verified within STALE_AFTER (or never): stands out to admins."""
        return self.filter(stale_condition())

    def due_for_review(self) -> "AssociationQuerySet":
        """Not verified within VERIFY_AFTER_MONTHS (or never): its association is reminded."""
        return self.filter(review_condition())


class Association(models.Model):
    """An organisation that offers services: association, NGO, public body… (HSDS organization)."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        NGO = "ngo", _("Non-governmental organisation")
        PUBLIC_BODY = "public_body", _("Public body")
        INTERNATIONAL = "international", _("International organisation")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.ASSOCIATION)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    whatsapp = models.CharField(
        _("WhatsApp"), max_length=30, blank=True, validators=[phone_validator]
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive associations and their services are hidden from the public."),
    )
    is_verified = models.BooleanField(_("verified by the city"), default=False)
    proposals_trusted = models.BooleanField(
        _("trusted: its proposals publish at once"),
        default=False,
        help_text=_(
            "Changes proposed by this association's staff are published without waiting "
            "for review; each is still recorded and can be reviewed afterwards."
        ),
    )
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("associations:detail", kwargs={"slug": self.slug})

    @property
    def is_stale(self) -> bool:
        return self.last_verified_on is None or self.last_verified_on < stale_threshold()


class Location(models.Model):
    """A place where services are delivered (HSDS location)."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("association"),
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("district"),
    )
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, default="Tanger")
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    accessibility = models.TextField(
        _("accessibility"), blank=True, help_text=_("Step-free access, lift, toilets, …")
    )
    transport = models.TextField(
        _("how to get there"), blank=True, help_text=_("Bus lines, landmarks, …")
    )

    class Meta:
        ordering = ["association", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="location_coordinates_valid",
                violation_error_message=_(
                    "Give both latitude and longitude, within range, or neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.association})"

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Membership(models.Model):
    """A user who works for an association: the association staff role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("association"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        # Who may give an account access to referral data (a Membership, the desk group) or
        # take it away, and lift log-in lock-outs; never for their own account
        # (referrals/staff_access.py).
        permissions = [("manage_staff_access", _("Can manage staff access"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association"], name="membership_unique_user_association"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.association}"
