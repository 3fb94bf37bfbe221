"""Small builders for test data: each fills in sensible defaults for what a test leaves out."""

from datetime import time
from itertools import count

from associations.models import Association, District, Location
from services.models import Audience, Category, Language, OpeningHours, Service

_sequence = count(1)


def _four(text: str) -> dict[str, str]:
    return {"ar": f"{text} ar", "fr": f"{text} fr", "es": f"{text} es", "en": f"{text} en"}


def _fields(field: str, texts: dict[str, str] | str | None) -> dict:
    if texts is None:
        return {}
    if isinstance(texts, str):
        texts = _four(texts)
    return {f"{field}_{code}": texts.get(code, "") for code in ("ar", "fr", "es", "en")}


def district(slug: str = "", name=None) -> District:
    slug = slug or f"district-{next(_sequence)}"
    return District.objects.create(slug=slug, **_fields("name", name or slug))


def category(slug: str = "", name=None, icon: str = "🩺") -> Category:
    slug = slug or f"category-{next(_sequence)}"
    return Category.objects.create(slug=slug, icon=icon, **_fields("name", name or slug))


def audience(slug: str = "", name=None) -> Audience:
    slug = slug or f"audience-{next(_sequence)}"
    return Audience.objects.create(slug=slug, **_fields("name", name or slug))


def language(code: str, name: str = "") -> Language:
    return Language.objects.create(code=code, name=name or code)


def association(slug: str = "", name=None, **extra) -> Association:
    slug = slug or f"association-{next(_sequence)}"
    return Association.objects.create(slug=slug, **_fields("name", name or slug), **extra)


def location(owner: Association, district_obj: District | None = None, **extra) -> Location:
    defaults = {**_fields("name", "Office"), **_fields("address", "12 Rue de la Paix")}
    return Location.objects.create(
        association=owner, district=district_obj, **{**defaults, **extra}
    )


def service(
    owner: Association | None = None,
    slug: str = "",
    name=None,
    *,
    categories=(),
    audiences=(),
    languages=(),
    hours=(),
    place: Location | None = None,
    **extra,
) -> Service:
    """Create a service; ``hours`` are (weekday, "HH:MM", "HH:MM") tuples."""
    owner = owner or association()
    slug = slug or f"service-{next(_sequence)}"
    texts = {}
    for field in ("name", "summary", "description", "eligibility", "required_documents", "fees"):
        value = extra.pop(field, None)
        if field == "name":
            value = name if name is not None else value or slug
        texts.update(_fields(field, value))
    created = Service.objects.create(association=owner, slug=slug, location=place, **texts, **extra)
    created.categories.set(categories)
    created.audiences.set(audiences)
    created.languages.set(languages)
    for weekday, opens, closes in hours:
        OpeningHours.objects.create(
            service=created,
            weekday=weekday,
            opens=time(*map(int, opens.split(":"))),
            closes=time(*map(int, closes.split(":"))),
        )
    return created
