"""The service cards of the catalogue list, read lean.

A page of the list shows twenty cards. Loading them as model instances, with their
association, location and district joined and their languages and hours prefetched,
cost more than everything else the page does, searching included. The cards need a
dozen values each: one query reads them, opening hours and languages included, and
each card keeps only what the template shows.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.dateformat import time_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from guichet.choices import choices
from guichet.templatetags.portal import in_language
from services.models import OpeningHours, Service, Slot, opening_state

_CODES = [code for code, _name in settings.LANGUAGES]
_TRANSLATED = {
    "name": "name",
    "summary": "summary",
    "association": "association__name",
    "district": "location__district__name",
    "neighbourhood": "location__neighbourhood",
}
_COLUMNS = [
    "pk",
    "slug",
    "is_free",
    "no_id_needed",
    *(f"{column}_{code}" for column in _TRANSLATED.values() for code in _CODES),
]
_language_names = choices("services.Language", "code")


@dataclass(frozen=True)
class ServiceCard:
    slug: str
    url: str
    name: str
    association: str
    place: str  # district, neighbourhood
    summary: str
    is_free: bool
    no_id_needed: bool
    languages: list[tuple[str, str]]  # (code, name in its own script)
    is_open: bool
    opening: str  # "Open now", "Closed, opens Monday at 08:30", or "" (no hours)


def service_cards(keys: list[int], now: datetime) -> list[ServiceCard]:
    """Return the cards of the services ``keys``, in that order; one query."""
    if not keys:
        return []
    # A plain QuerySet: the columns are named per language already, and
    # modeltranslation's fallback pass over every row is not needed.
    rows = (
        QuerySet(Service)
        .filter(pk__in=keys)
        .values(
            *_COLUMNS,
            spans=ArraySubquery(
                OpeningHours.objects.filter(service=OuterRef("pk")).values("week_span")
            ),
            language_codes=ArraySubquery(
                Service.languages.through.objects.filter(service=OuterRef("pk")).values(
                    "language__code"
                )
            ),
        )
    )
    by_key = {row["pk"]: row for row in rows}
    languages = _language_names()  # cached, in the order they are listed everywhere
    current = get_language()
    return [_card(by_key[key], languages, now, current) for key in keys if key in by_key]


def _card(row: dict, languages: list, now: datetime, current: str) -> ServiceCard:
    text = {
        field: in_language(row.get, column, current=current)
        for field, column in _TRANSLATED.items()
    }
    spoken = set(row["language_codes"])
    return ServiceCard(
        slug=row["slug"],
        url=reverse("services:detail", kwargs={"slug": row["slug"]}),
        name=text["name"],
        association=text["association"],
        place=_joined(text["district"], text["neighbourhood"]),
        summary=text["summary"],
        is_free=row["is_free"],
        no_id_needed=row["no_id_needed"],
        languages=[(code, name) for code, name in languages if code in spoken],
        **_opening([Slot.from_week_span(span) for span in row["spans"]], now),
    )


def _opening(hours: list[Slot], now: datetime) -> dict:
    state = opening_state(hours, now)
    if state["open"]:
        return {"is_open": True, "opening": gettext("Open now")}
    if state["opens"]:
        return {
            "is_open": False,
            "opening": gettext("Closed, opens %(day)s at %(time)s")
            % {"day": date_format(state["opens"], "l"), "time": time_format(state["opens"], "H:i")},
        }
    return {"is_open": False, "opening": ""}


def _joined(*parts: str) -> SafeString:
    """Join the non-empty parts with commas, escaping those not already safe."""
    return format_html_join(", ", "{}", ((part,) for part in parts if part))
