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
from django.db import connection
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from guichet import catalogue
from guichet.choices import choices
from guichet.i18n import in_language, list_separator
from services.models import Slot, opening_state, opens_phrase

_CODES = [code for code, _name in settings.LANGUAGES]
# What a card shows in each language: (card field, table alias, column).
_TRANSLATED = {
    "name": ("s", "name"),
    "summary": ("s", "summary"),
    "association": ("a", "name"),
    "district": ("d", "name"),
    "neighbourhood": ("l", "neighbourhood"),
}
# One statement, written out: the ORM took longer to compile it than PostgreSQL to
# run it. Opening hours come back as their week_span ranges, languages as codes.
_CARDS_SQL = f"""
    SELECT s.id, s.slug, s.is_free, s.no_id_needed,
           {", ".join(f"{alias}.{column}_{code} AS {field}_{code}" for field, (alias, column) in _TRANSLATED.items() for code in _CODES)},
           ARRAY(SELECT h.week_span FROM services_openinghours AS h
                  WHERE h.service_id = s.id) AS spans,
           ARRAY(SELECT lang.code FROM services_service_languages AS spoken
                   JOIN services_language AS lang ON lang.id = spoken.language_id
                  WHERE spoken.service_id = s.id) AS language_codes
      FROM services_service AS s
      JOIN associations_association AS a ON a.id = s.association_id
      LEFT JOIN associations_location AS l ON l.id = s.location_id
      LEFT JOIN associations_district AS d ON d.id = l.district_id
     WHERE s.id = ANY(%s)
"""  # noqa: S608 (no value of ours is interpolated: names only)
_language_names = choices("services.Language", "code")


@dataclass(frozen=True)
class ServiceCard:
    key: int
    slug: str
    url: str
    name: str
    association: str
    place: str  # district, neighbourhood
    summary: str
    is_free: bool
    no_id_needed: bool
    languages: tuple[tuple[str, str], ...]  # (code, name in its own script)
    is_open: bool
    opening: str  # "Open now", "Closed, opens Monday at 08:30", or "" (no hours)
    closes: str = ""  # "closes at 18:00" when open


# Cards of recent pages, per catalogue version, language and minute (what a card says
# of opening hours is true for the minute): a popular service's card is read and built
# once a minute, not on every page that lists it.
_cards = catalogue.Memo(size=2000)


def service_cards(keys: list[int], now: datetime) -> list[ServiceCard]:
    """Return the cards of the services ``keys``, in that order; at most one query (none
    when every card is remembered from an earlier page of this minute)."""
    if not keys:
        return []
    current = get_language()
    minute = now.replace(second=0, microsecond=0)

    def build(missing: list[tuple]) -> dict[tuple, ServiceCard]:
        with connection.cursor() as cursor:
            cursor.execute(_CARDS_SQL, [[key for _lang, _minute, key in missing]])
            names = [column.name for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        shared = _Shared(
            languages=_language_names(),  # cached, in the order they are listed everywhere
            current=current,
            # One reverse() for the page: a slug needs no quoting in a path.
            url=reverse("services:detail", kwargs={"slug": _SLUG}),
            separator=conditional_escape(list_separator()),
        )
        return {(current, minute, row["id"]): _card(row, shared, now) for row in rows}

    wanted = [(current, minute, key) for key in keys]
    found = _cards.get_many(wanted, build)
    return [found[key] for key in wanted if key in found]


_SLUG = "__slug__"


@dataclass(frozen=True)
class _Shared:
    """What every card of a page shares: computed once per page."""

    languages: list[tuple[str, str]]
    current: str
    url: str
    separator: str


def _card(row: dict, shared: _Shared, now: datetime) -> ServiceCard:
    text = {field: in_language(row.get, field, current=shared.current) for field in _TRANSLATED}
    spoken = set(row["language_codes"])
    return ServiceCard(
        key=row["id"],
        slug=row["slug"],
        url=shared.url.replace(_SLUG, row["slug"]),
        name=text["name"],
        association=text["association"],
        place=_joined(shared.separator, text["district"], text["neighbourhood"]),
        summary=text["summary"],
        is_free=row["is_free"],
        no_id_needed=row["no_id_needed"],
        languages=tuple((code, name) for code, name in shared.languages if code in spoken),
        **_opening([Slot.from_week_span(span) for span in row["spans"]], now),
    )


def _opening(hours: list[Slot], now: datetime) -> dict:
    state = opening_state(hours, now)
    if state["open"]:
        closes = gettext("closes at %(time)s") % {"time": time_format(state["closes"], "H:i")}
        return {"is_open": True, "opening": gettext("Open now"), "closes": closes}
    if state["opens"]:
        return {"is_open": False, "opening": opens_phrase(state["opens"], now, closed=True)}
    return {"is_open": False, "opening": ""}


def _joined(separator: str, *parts: str) -> SafeString:
    """Join the non-empty parts with ``separator`` (escaped), escaping those not already
    safe."""
    return mark_safe(separator.join(conditional_escape(part) for part in parts if part))  # noqa: S308  # nosec B308 B703 (every part escaped)
