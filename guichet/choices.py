"""The choice lists of the reference tables (categories, districts, languages, audiences)
that the public filters offer.

Every catalogue page reads them and they change a few times a year, so each list is
kept in the cache, per language and per catalogue version (``guichet.catalogue``): any
change to the catalogue, however it is written (admin, import, raw SQL), makes every
process read the lists afresh at once, shared cache or not. On a public page the
version is already known (the page cache read it), so a cached list costs no query.
"""

from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.utils.translation import get_language

from guichet import catalogue

TTL = 24 * 60 * 60  # dead anyway once the catalogue changes


def _cache_key(model_label: str, key_field: str, language: str) -> str:
    return f"guichet:choices:{catalogue.version()}:{model_label.lower()}:{key_field}:{language}"


def choices(model_label: str, key_field: str) -> Callable[[], list[tuple[str, str]]]:
    """Return a callable listing ``model_label``'s rows as ``(key_field, name)`` choices,
    names in the active language (falling back as the model's translations do)."""

    def load() -> list[tuple[str, str]]:
        key = _cache_key(model_label, key_field, get_language())
        listed = cache.get(key)
        if listed is None:
            model = apps.get_model(model_label)
            listed = [(k, str(name)) for k, name in model.objects.values_list(key_field, "name")]
            cache.set(key, listed, TTL)
        return listed

    return load
