"""What a proposal may change, the record's values as a proposal stores them, the
difference an admin reviews, and applying it.

A proposal stores plain JSON values by field name: texts per language (``name_fr``), the
plain fields, the location's id and the opening hours as ``[[weekday, "HH:MM", "HH:MM"], …]``
sorted. Only the fields listed here can ever be written from a proposal: status, slug,
association, verification and the search columns are not among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from services.models import Category, OpeningHours, Service

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = ["name", "summary", "description", "eligibility", "required_documents", "fees"]
PLAIN = [
    "is_free",
    "access",
    "no_id_needed",
    "any_status_accepted",
    "phone",
    "email",
    "whatsapp",
    "location",
    "categories",
]
HOURS = "hours"
# The status a closing proposal sets, by what was asked.
CLOSING = {
    "temporarily": Service.Status.TEMPORARILY_CLOSED,
    "for_good": Service.Status.INACTIVE,
}
FIELDS = [f"{field}_{code}" for field in TRANSLATED for code in LANGUAGES] + PLAIN + [HOURS]


def _hours(service: Service) -> list[list]:
    return sorted(
        [slot.weekday, slot.opens.strftime("%H:%M"), slot.closes.strftime("%H:%M")]
        for slot in service.hours.all()
    )


def snapshot(service: Service) -> dict:
    """Return ``service``'s values in the form a proposal stores them."""
    values = {}
    for name in FIELDS:
        if name == HOURS:
            values[name] = _hours(service)
        elif name == "location":
            values[name] = service.location_id
        elif name == "categories":
            values[name] = sorted(service.categories.values_list("slug", flat=True))
        else:
            value = getattr(service, name)
            # modeltranslation leaves an unwritten language NULL: the same as empty here.
            values[name] = "" if value is None and name not in PLAIN else value
    values["status"] = service.status
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
    from associations.models import Location
    from services.models import Weekday

    if value is None or value == "" or value == []:
        return "—"
    if name == HOURS:
        days = dict(Weekday.choices)
        return "\n".join(f"{days[day]} {opens}–{closes}" for day, opens, closes in value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if name == "location":
        place = Location.objects.filter(pk=value).first()
        return place.name if place else "—"
    if name == "categories":
        return ", ".join(value)
    if name == "status":
        return str(Service.Status(value).label)
    if name == "access":
        return str(Service.Access(value).label)
    return str(value)


def _label(name: str) -> tuple[str, str]:
    if name == HOURS:
        return str(_("Opening hours")), ""
    if name in ("status", "categories", "location"):
        return str(Service._meta.get_field(name).verbose_name), ""
    field, _sep, code = name.rpartition("_")
    if code in LANGUAGES and field in TRANSLATED:
        return str(Service._meta.get_field(field).verbose_name), code
    return str(Service._meta.get_field(name).verbose_name), ""


def rows(proposal, current: dict | None) -> list[Row]:
    """The fields a proposal changes: what it was based on, what the record holds now,
    what is proposed. For a new service, every field proposed."""
    result = []
    for name, proposed in proposal.proposed.items():
        base = proposal.base.get(name)
        if proposal.kind != "new" and proposed == base:
            continue
        label, language = _label(name)
        now = current.get(name) if current is not None else None
        result.append(Row(name, label, language, base, now, proposed))
    return result


def conflicts(proposal, current: dict | None) -> list[Row]:
    if current is None:
        return []
    return [row for row in rows(proposal, current) if row.conflict]


def apply(service: Service, values: dict) -> None:
    """Write ``values`` (proposal form) onto ``service`` and save it, hours included."""
    for name, value in values.items():
        if name in (HOURS, "categories"):
            continue
        if name == "location":
            service.location_id = value
        elif name == "status" or name in FIELDS:
            setattr(service, name, value)
    service.full_clean(exclude=["slug"] if service.pk is None else None)
    service.save()
    if "categories" in values:
        service.categories.set(Category.objects.filter(slug__in=values["categories"]))
    if HOURS in values:
        wanted = {(day, opens, closes) for day, opens, closes in values[HOURS]}
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
