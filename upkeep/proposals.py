"""What a proposal may change, the record's values as a proposal stores them, the
difference an admin reviews, and applying it.

A proposal is about one of three kinds of record: a service, the association itself, or
one of its locations. Each has a ``Shape``: its translated texts, its plain fields and
(a service only) its opening hours. A proposal stores plain JSON values by field name:
texts per language (``name_fr``), the plain fields, a related record by id (a service's
location, a location's district), categories by slug, coordinates as fixed-point text,
and opening hours as ``[[weekday, "HH:MM", "HH:MM"], …]`` sorted. Only the fields a shape
lists can ever be written from a proposal: status (but a closing's), slug, association,
verification, trust and the search columns are not among them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from associations.models import Association, District, Location
from services.models import Category, OpeningHours, Service

LANGUAGES = [code for code, _name in settings.LANGUAGES]
HOURS = "hours"
# The status a closing proposal sets, by what was asked.
CLOSING = {
    "temporarily": Service.Status.TEMPORARILY_CLOSED,
    "for_good": Service.Status.INACTIVE,
}


@dataclass(frozen=True)
class Shape:
    """The fields of one kind of record that a proposal may carry."""

    model: type[models.Model]
    translated: tuple[str, ...]
    plain: tuple[str, ...]
    hours: bool = False

    @property
    def fields(self) -> list[str]:
        texts = [f"{field}_{code}" for field in self.translated for code in LANGUAGES]
        return texts + list(self.plain) + ([HOURS] if self.hours else [])


SERVICE = Shape(
    Service,
    translated=("name", "summary", "description", "eligibility", "required_documents", "fees"),
    plain=(
        "is_free",
        "access",
        "no_id_needed",
        "any_status_accepted",
        "phone",
        "email",
        "whatsapp",
        "location",
        "categories",
    ),
    hours=True,
)
ASSOCIATION = Shape(
    Association,
    translated=("name", "description"),
    plain=("website", "email", "phone", "whatsapp"),
)
LOCATION = Shape(
    Location,
    translated=("name", "address", "neighbourhood", "city", "accessibility", "transport"),
    plain=("district", "postal_code", "wheelchair_accessible", "latitude", "longitude"),
)
SHAPES = {Service: SERVICE, Association: ASSOCIATION, Location: LOCATION}

# The service's, kept under their old names for the service form and the tests.
TRANSLATED = list(SERVICE.translated)
FIELDS = SERVICE.fields


def shape_of(record_or_model) -> Shape:
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    return SHAPES[model]


def _hours(service: Service) -> list[list]:
    return sorted(
        [slot.weekday, slot.opens.strftime("%H:%M"), slot.closes.strftime("%H:%M")]
        for slot in service.hours.all()
    )


def coordinate(value) -> str | None:
    """A latitude or longitude as a proposal stores it: six decimals, as the column."""
    return None if value is None else f"{Decimal(value):.6f}"


def _is_relation(shape: Shape, name: str) -> bool:
    field = shape.model._meta.get_field(name)
    return field.many_to_one


def snapshot(record) -> dict:
    """Return ``record``'s values in the form a proposal stores them."""
    shape = shape_of(record)
    values = {}
    for name in shape.fields:
        if name == HOURS:
            values[name] = _hours(record)
        elif name == "categories":
            values[name] = sorted(record.categories.values_list("slug", flat=True))
        elif name in ("latitude", "longitude"):
            values[name] = coordinate(getattr(record, name))
        elif name in shape.plain and _is_relation(shape, name):
            values[name] = getattr(record, f"{name}_id")
        else:
            value = getattr(record, name)
            # modeltranslation leaves an unwritten language NULL: the same as empty here.
            values[name] = "" if value is None and name not in shape.plain else value
    if isinstance(record, Service):
        values["status"] = record.status
    return values


@dataclass
class Row:
    """One line of the side-by-side difference."""

    field: str
    label: str
    language: str
    base: object
    current: object
    proposed: object

    @property
    def base_text(self) -> str:
        return as_text(self.field, self.base)

    @property
    def current_text(self) -> str:
        return as_text(self.field, self.current)

    @property
    def proposed_text(self) -> str:
        return as_text(self.field, self.proposed)

    @property
    def changed(self) -> bool:
        return self.proposed != self.base

    @property
    def conflict(self) -> bool:
        """The record moved away from what the proposal was based on, on this field."""
        return self.base != self.current and self.proposed != self.current


def as_text(name: str, value) -> str:
    """A stored value as a reviewer reads it."""
    from services.models import Weekday

    if value is None or value == "" or value == []:
        return "—"
    if name == HOURS:
        days = dict(Weekday.choices)
        return "\n".join(f"{days[day]} {opens}–{closes}" for day, opens, closes in value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if name in ("location", "district"):
        related = (Location if name == "location" else District).objects.filter(pk=value).first()
        return related.name if related else "—"
    if name == "categories":
        return ", ".join(value)
    if name == "status":
        return str(Service.Status(value).label)
    if name == "access":
        return str(Service.Access(value).label)
    return str(value)


def _label(shape: Shape, name: str) -> tuple[str, str]:
    if name == HOURS:
        return str(_("Opening hours")), ""
    field, _sep, code = name.rpartition("_")
    if code in LANGUAGES and field in shape.translated:
        return str(shape.model._meta.get_field(field).verbose_name), code
    return str(shape.model._meta.get_field(name).verbose_name), ""


def rows(proposal, current: dict | None) -> list[Row]:
    """The fields a proposal changes: what it was based on, what the record holds now,
    what is proposed. For a new record, every field proposed."""
    shape = proposal.shape
    result = []
    for name, proposed in proposal.proposed.items():
        base = proposal.base.get(name)
        if not proposal.creates and proposed == base:
            continue
        label, language = _label(shape, name)
        now = current.get(name) if current is not None else None
        result.append(Row(name, label, language, base, now, proposed))
    return result


def conflicts(proposal, current: dict | None) -> list[Row]:
    if current is None:
        return []
    return [row for row in rows(proposal, current) if row.conflict]


def check(record, values: dict) -> None:
    """Raise ``ValidationError`` when ``values`` could not be applied to ``record`` (a
    copy is checked; nothing is written): a proposal that could never be approved is
    refused when it is made, not when an admin approves it."""
    candidate = copy.copy(record)
    _assign(candidate, values)
    candidate.full_clean(exclude=["slug"] if record.pk is None else None)


def apply(record, values: dict) -> None:
    """Write ``values`` (proposal form) onto ``record`` and save it, a service's hours
    and categories included."""
    _assign(record, values)
    record.full_clean(exclude=["slug"] if record.pk is None else None)
    record.save()
    if "categories" in values:
        record.categories.set(Category.objects.filter(slug__in=values["categories"]))
    if HOURS in values:
        _apply_hours(record, values[HOURS])


def _assign(record, values: dict) -> None:
    shape = shape_of(record)
    for name, value in values.items():
        if name in (HOURS, "categories"):
            continue
        if name in shape.plain and _is_relation(shape, name):
            setattr(record, f"{name}_id", value)
        elif name in ("latitude", "longitude"):
            setattr(record, name, None if value is None else Decimal(value))
        elif name in shape.plain or (name == "status" and shape is SERVICE):
            setattr(record, name, value)
        elif name in shape.fields:
            # An empty translation is an unwritten one (NULL, as modeltranslation leaves
            # it), so that the language falls back visibly; an empty string would hide a
            # field's default ("Tanger") behind the blank.
            setattr(record, name, value or None)


def _apply_hours(service: Service, hours: list) -> None:
    wanted = {(day, opens, closes) for day, opens, closes in hours}
    kept = set()
    for slot in service.hours.all():
        key = (slot.weekday, slot.opens.strftime("%H:%M"), slot.closes.strftime("%H:%M"))
        if key in wanted and key not in kept:
            kept.add(key)  # its notes in four languages stay
        else:
            slot.delete()
    for day, opens, closes in sorted(wanted - kept):
        OpeningHours.objects.create(
            service=service,
            weekday=day,
            opens=time.fromisoformat(opens),
            closes=time.fromisoformat(closes),
        )
