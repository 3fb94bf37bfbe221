"""The choice lists of the reference tables (categories, districts, languages, audiences)
that the public filters offer.

Every catalogue page reads them and they change a few times a year, so each list is
kept in the cache, per language, for ``TTL`` seconds. Saving or deleting a row drops
its table's lists at once in this process, and in all of them when the cache is
shared (``CACHE_URL``); with the default per-process cache another process may show
the old list for up to ``TTL`` seconds.
"""

from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

TTL = 300
_watched: set[tuple[str, str]] = set()


def _cache_key(model_label: str, key_field: str, language: str) -> str:
    return f"guichet:choices:{model_label.lower()}:{key_field}:{language}"


def choices(model_label: str, key_field: str) -> Callable[[], list[tuple[str, str]]]:
    """Return a callable listing ``model_label``'s rows as ``(key_field, name)`` choices,
    names in the active language (falling back as the model's translations do)."""
    _watch(model_label, key_field)

    def load() -> list[tuple[str, str]]:
        key = _cache_key(model_label, key_field, get_language())
        listed = cache.get(key)
        if listed is None:
            model = apps.get_model(model_label)
            listed = [(k, str(name)) for k, name in model.objects.values_list(key_field, "name")]
            cache.set(key, listed, TTL)
        return listed

    return load


def _watch(model_label: str, key_field: str) -> None:
    if (model_label, key_field) in _watched:
        return
    _watched.add((model_label, key_field))

    def forget(sender, **kwargs) -> None:
        cache.delete_many(
            [_cache_key(model_label, key_field, code) for code, _name in settings.LANGUAGES]
        )

    for signal in (post_save, post_delete):
        signal.connect(forget, sender=model_label, weak=False)
