import uuid
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from uuid import uuid4
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField, IntegerRangeField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, Func, Min, OuterRef, Q
from django.db.models.functions import Mod
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Location, phone_validator
from guichet.freshness import review_condition, stale_condition, stale_threshold


def city_now() -> datetime:
    """Return the current time in the city's time zone (Africa/Casablanca)."""
    return timezone.localtime(timezone.now(), ZoneInfo(settings.TIME_ZONE))


class CategoryQuerySet(models.QuerySet):
    def with_service_counts(self) -> "CategoryQuerySet":
        """Annotate each category with its number of public services (``service_count``)."""
        public = Service.objects.active_condition(through="services__")
        return self.annotate(service_count=models.Count("services", filter=public))


class Category(models.Model):
    """What kind of help a service gives (HSDS taxonomy term)."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(
        _("icon"), max_length=8, blank=True, help_text=_("One emoji shown beside the name.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Audience(models.Model):
    """Who a service is for: women, children, families, …"""

    EVERYONE = "everyone"  # the slug of the audience that puts no condition

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language staff speak, named in its own script (not translated)."""

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("ISO 639 code: ar, ary (Darija), zgh (Tamazight), fr, wo, …"),
    )
    name = models.CharField(_("name in its own script"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"),
                name="language_code_iso639",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _of_active_association(through: str = "") -> Q:
    return Q(**{f"{through}association__is_active": True})


class ServiceQuerySet(models.QuerySet):
    @staticmethod
    def active_condition(through: str = "") -> Q:
        """The rule of a public service — active, of an active association — as a
        condition, for counting services through a relation: ``through`` is the path
        from the counted model ("services__" from a category or an association)."""
        return Q(**{f"{through}status": Service.Status.ACTIVE}) & _of_active_association(through)

    def active(self) -> "ServiceQuerySet":
        """Return the services the public may see, list, search and be referred to."""
        return self.filter(self.active_condition())

    def published(self) -> "ServiceQuerySet":
        """Return the services with a public page: the active ones, and those closed for
        a while (their page says so), of an active association."""
        return self.filter(
            Q(status__in=[Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED])
            & _of_active_association()
        )

    def open_at(self, moment: datetime) -> "ServiceQuerySet":
        """Return the services with an opening-hours slot covering ``moment``.

        ``moment`` is read in the city's time zone. A slot whose closing time is
        not after its opening time runs past midnight into the next day.
        """
        local = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
        return self.filter(status=Service.Status.ACTIVE).filter(
            Exists(OpeningHours.objects.covering(local).filter(service=OuterRef("pk")))
        )

    def opening_next(self, moment: datetime) -> "ServiceQuerySet":
        """Return the services with opening hours, soonest to open after ``moment`` first
        (``opens_in``: seconds until their next opening, in the city's time)."""
        local = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
        since = Func(
            F("hours__week_span"), function="lower", output_field=models.IntegerField()
        ) - second_of_week(local)
        return (
            self.filter(status=Service.Status.ACTIVE, hours__isnull=False)
            .annotate(
                opens_in=Min(Mod(Mod(since, SECONDS_PER_WEEK) + SECONDS_PER_WEEK, SECONDS_PER_WEEK))
            )
            .order_by("opens_in", "slug")
        )

    def open_at_night(self) -> "ServiceQuerySet":
        """Return the services with a slot that runs past midnight, closes at 22:00 or
        later, or opens before 6:00."""
        night = OpeningHours.objects.filter(service=OuterRef("pk")).filter(
            Q(closes__lte=F("opens")) | Q(closes__gte=time(22)) | Q(opens__lt=time(6))
        )
        return self.filter(status=Service.Status.ACTIVE).filter(Exists(night))

    def stale(self) -> "ServiceQuerySet":
        """Not verified within STALE_AFTER (or never): stands out to admins."""
        return self.filter(stale_condition())

    def due_for_review(self) -> "ServiceQuerySet":
        """Not verified within VERIFY_AFTER_MONTHS (or never): its association is reminded."""
        return self.filter(review_condition())


class Service(models.Model):
    """Something an association offers to people (HSDS service)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
        INACTIVE = "inactive", _("Inactive")

    class Access(models.TextChoices):
        WALK_IN = "walk_in", _("Walk in, no appointment")
        APPOINTMENT = "appointment", _("By appointment")
        REFERRAL_ONLY = "referral_only", _("Only on referral (ask the desk)")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    # The service at its location (HSDS service_at_location) has an identity of its own.
    site_uuid = models.UUIDField(
        _("identifier at its location"), default=uuid4, unique=True, editable=False
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("association"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("location"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    categories = models.ManyToManyField(
        Category, related_name="services", verbose_name=_("categories")
    )
    audiences = models.ManyToManyField(
        Audience, related_name="services", blank=True, verbose_name=_("audiences")
    )
    languages = models.ManyToManyField(
        Language, related_name="services", blank=True, verbose_name=_("languages spoken")
    )
    eligibility = models.TextField(_("who can use it"), blank=True)
    required_documents = models.TextField(_("documents to bring"), blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    fees = models.TextField(_("fees"), blank=True)
    access = models.CharField(
        _("how to access"), max_length=20, choices=Access, default=Access.WALK_IN
    )
    no_id_needed = models.BooleanField(_("no identity document needed"), default=False)
    any_status_accepted = models.BooleanField(_("any residence status accepted"), default=False)
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text=_("Leave empty to use the association's."),
    )
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Leave empty to use the association's.")
    )
    whatsapp = models.CharField(
        _("WhatsApp"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text=_("Leave empty to use the association's."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # When anything the service's public record shows last changed (its association,
    # place, categories, languages, hours too): kept by PostgreSQL's triggers
    # (services/modified.py), never written by hand.
    modified_at = models.DateTimeField(
        _("record modified at"), default=timezone.now, editable=False
    )

    # Kept by PostgreSQL's triggers (services/search/schema.py), never written by hand.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            GinIndex(fields=["search_vector"], name="service_search_vector_idx"),
            models.Index(fields=["status", "association"], name="service_status_idx"),
            # The list without a search term is ordered by name in the visitor's language.
            *(
                models.Index(fields=[f"name_{code}", "slug"], name=f"service_name_{code}_idx")
                for code in ("ar", "fr", "es", "en")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if (
            self.location_id
            and self.association_id
            and self.location.association_id != self.association_id
        ):
            raise ValidationError(
                {"location": _("Choose a location of the service's own association.")}
            )

    @property
    def is_stale(self) -> bool:
        return self.last_verified_on is None or self.last_verified_on < stale_threshold()

    @property
    def contact_phone(self) -> str:
        return self.phone or self.association.phone

    @property
    def contact_email(self) -> str:
        return self.email or self.association.email

    @property
    def contact_whatsapp(self) -> str:
        return self.whatsapp or self.association.whatsapp


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


SECONDS_PER_DAY = 86_400
SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY

# "Open now" looks slots up by the seconds of the week they cover, Monday 00:00 being
# 0: the database function guichet_week_span(weekday, opens, closes), created by
# migration services/0005, computes them; a slot past midnight ends the next day,
# past the week's end for a Sunday night.


def second_of_week(local: datetime) -> int:
    """Return the second of the week of ``local``, Monday 00:00:00 being 0."""
    return local.weekday() * SECONDS_PER_DAY + local.hour * 3600 + local.minute * 60 + local.second


class OpeningHoursQuerySet(models.QuerySet):
    def covering(self, local: datetime) -> "OpeningHoursQuerySet":
        """Return the slots open at ``local`` (a time in the city's zone).

        A GiST index on ``week_span`` finds them; a Sunday-night slot that runs into
        Monday reaches past the week's end, hence the second lookup a week later.
        """
        second = second_of_week(local)
        return self.filter(
            Q(week_span__contains=second) | Q(week_span__contains=second + SECONDS_PER_WEEK)
        )


class OpeningHours(models.Model):
    """One opening slot of a service on one weekday.

    A slot whose closing time is not after its opening time runs past midnight
    (20:00–08:00 closes at 8 the next morning).
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="hours", verbose_name=_("service")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Kept by PostgreSQL; "open now" looks it up through a GiST index.
    week_span = models.GeneratedField(
        expression=Func(
            F("weekday"),
            F("opens"),
            F("closes"),
            function="guichet_week_span",
            output_field=IntegerRangeField(),
        ),
        output_field=IntegerRangeField(),
        db_persist=True,
    )

    objects = OpeningHoursQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        indexes = [GistIndex(fields=["week_span"], name="opening_hours_week_span_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday_valid"
            ),
            models.CheckConstraint(
                condition=~Q(opens=F("closes")),
                name="opening_hours_not_empty",
                violation_error_message=_("Opening and closing times must differ."),
            ),
            models.UniqueConstraint(
                fields=["service", "weekday", "opens"], name="opening_hours_unique_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens


class Slot(NamedTuple):
    """An opening slot read without its model (see ``opening_state``)."""

    weekday: int
    opens: time
    closes: time

    @classmethod
    def from_week_span(cls, span) -> "Slot":
        """Read a slot back from its ``week_span`` (a range of seconds of the week)."""
        weekday, opens = divmod(span.lower, SECONDS_PER_DAY)
        return cls(weekday, _clock(opens), _clock(span.upper % SECONDS_PER_DAY))


def _clock(seconds: int) -> time:
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def slot_span(slot: OpeningHours | Slot, day: date) -> tuple[datetime, datetime]:
    """Return when ``slot`` opens and closes in the week that contains ``day``."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start_day = day + timedelta(days=slot.weekday - day.weekday())
    start = datetime.combine(start_day, slot.opens, zone)
    end_day = start_day + timedelta(days=1) if slot.closes <= slot.opens else start_day
    return start, datetime.combine(end_day, slot.closes, zone)


def opening_week(hours: list[OpeningHours], today: int | None = None) -> list[dict]:
    """Return the week, Monday first: each day's label, its slots, and whether it is
    ``today`` (a weekday number). What the service page and the slip show as hours."""
    return [
        {"label": label, "today": day == today, "slots": [s for s in hours if s.weekday == day]}
        for day, label in Weekday.choices
    ]


def opening_state(hours: list[OpeningHours | Slot], moment: datetime) -> dict:
    """Tell whether a service is open at ``moment`` and when it next opens or closes.

    Works on already-fetched slots (no query): model instances, or ``Slot`` tuples.
    Returns ``{"open": bool, "closes": dt|None, "opens": dt|None}`` in the city's
    time zone.
    """
    local = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
    spans = []
    for week in (-1, 0, 1):
        day = local.date() + timedelta(weeks=week)
        spans.extend(slot_span(slot, day) for slot in hours)
    spans.sort()
    for start, end in spans:
        if start <= local < end:
            return {"open": True, "closes": end, "opens": None}
    upcoming = [start for start, _end in spans if start > local]
    return {"open": False, "closes": None, "opens": upcoming[0] if upcoming else None}


def _day_offset(opens: datetime, now: datetime) -> int:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (timezone.localtime(opens, zone).date() - timezone.localtime(now, zone).date()).days


def opens_phrase(opens: datetime, now: datetime, *, closed: bool = False) -> str:
    """Say when a closed service opens next, as of ``now``: "opens today at 10:00",
    "opens tomorrow at 10:00" or "opens Wednesday at 10:00"; with ``closed``, the
    sentence starts with "Closed, ". Whole sentences, so each language words them."""
    values = {"day": date_format(opens, "l"), "time": time_format(opens, "H:i")}
    offset = _day_offset(opens, now)
    if closed:
        if offset == 0:
            return gettext("Closed, opens today at %(time)s") % values
        if offset == 1:
            return gettext("Closed, opens tomorrow at %(time)s") % values
        return gettext("Closed, opens %(day)s at %(time)s") % values
    if offset == 0:
        return gettext("opens today at %(time)s") % values
    if offset == 1:
        return gettext("opens tomorrow at %(time)s") % values
    return gettext("opens %(day)s at %(time)s") % values


class SearchWord(models.Model):
    """A word found in the catalogue's texts, normalised: the lexicon for typo correction.

    Kept by PostgreSQL's triggers (services/search/schema.py); a trigram index finds
    the known words nearest to a misspelt one.
    """

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [GistIndex(OpClass(F("word"), name="gist_trgm_ops"), name="search_word_trgm_idx")]

    def __str__(self) -> str:
        return self.word


class SearchTerm(models.Model):
    """A word or phrase people type, and what it should find: the search's vocabulary.

    Everyday words (``docteur``, ``faim``, ``papiers``), Arabic and Moroccan Darija in
    both scripts (``سبيطار``, ``tbib``, ``m7ami``) that the catalogue's own texts do not
    use. A query is expanded when it is parsed, so a term added here works at once,
    without re-indexing anything.
    """

    class Language(models.TextChoices):
        ANY = "any", _("Any language")
        ARABIC = "ar", _("Arabic")
        DARIJA = "ary", _("Moroccan Darija")
        FRENCH = "fr", _("French")
        SPANISH = "es", _("Spanish")
        ENGLISH = "en", _("English")

    term = models.CharField(
        _("word or phrase people type"),
        max_length=100,
        help_text=_(
            "Letters and digits; punctuation is ignored. Darija may be written "
            "in Latin script with digits (m7ami, 3yada)."
        ),
    )
    language = models.CharField(_("language"), max_length=3, choices=Language, default=Language.ANY)
    words = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("catalogue words it means"),
        blank=True,
        default=list,
        help_text=_(
            "Words or phrases of the catalogue, in any of its languages, separated by commas."
        ),
    )
    categories = ArrayField(
        models.SlugField(max_length=100),
        verbose_name=_("categories it means"),
        blank=True,
        default=list,
    )
    note = models.CharField(_("note for curators"), max_length=200, blank=True)
    # The term as the search compares it (accents, diacritics and case removed).
    normalized = models.GeneratedField(
        expression=Func(F("term"), function="guichet_normalize"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["term", "language"]
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(
                fields=["normalized", "language"],
                name="search_term_unique",
                violation_error_message=_("This term already exists in this language."),
            ),
            models.CheckConstraint(
                condition=~Q(words=[]) | ~Q(categories=[]),
                name="search_term_means_something",
                violation_error_message=_("Give at least one catalogue word or category."),
            ),
        ]

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        from services.search.vocabulary import validate_term

        validate_term(self)


def refresh_catalogue_statistics() -> int:
    """Refresh the planner's statistics of the catalogue's tables after a bulk load
    (generator, import, demo loader); return how many tables were analysed.

    Until autovacuum comes by, PostgreSQL would take thousands of new services for a
    handful and pick nested loops that make a filtered search ten times slower.
    """
    from guichet import dbroles

    models_ = (Association, Location, Service, OpeningHours, SearchWord)
    tables = [m._meta.db_table for m in models_]
    tables += [field.remote_field.through._meta.db_table for field in Service._meta.many_to_many]
    return dbroles.refresh_statistics(*tables)
