"""The catalogue version: one number that any change to the public catalogue moves.

Every table of the catalogue apps (``CATALOGUE_APPS``: associations, their places,
services, categories, opening hours, the many-to-many tables between them…) carries a
statement-level trigger, ``guichet_catalogue_changed``, that moves the single row of
``guichet_catalogueversion`` forward before each INSERT, UPDATE, DELETE or TRUNCATE (to
the current time in microseconds, or one more when that is not ahead: a number never
used before, even once the row was emptied or the database restored from an older
dump, so a shared cache never mistakes an old page for a new one). The
trigger sits in the database, not in Python, so nothing can change the catalogue
without moving the version: an admin save or delete, the HSDS import, moderation, the
demo loader, ``generate_catalogue``'s raw-SQL bulk inserts, a psql session. The bump
is part of the writing transaction, so a reader sees the new version exactly when it
sees the new data, and a version never names data that was not committed.

The triggers are (re)installed after every ``migrate`` (``post_migrate``) on every
table of those apps, so a model added later is covered without anyone remembering to;
``tests/guichet/test_catalogue_version.py`` checks that no table is left out.

Reading the version costs one primary-key lookup of a one-row table (about 0.1 ms).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

CATALOGUE_APPS = ("associations", "services")
TRIGGER = "guichet_catalogue_changed"

T = TypeVar("T")

# Set by the page cache for the length of one read-only public request, so that the
# version is read once per request however many cached pieces ask for it.
_request_version: ContextVar[int | None] = ContextVar("catalogue_version", default=None)


def catalogue_tables() -> list[str]:
    """Return the tables whose rows make up the public catalogue."""
    tables = []
    for label in CATALOGUE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy and meta.db_table not in tables:
                tables.append(meta.db_table)
    return tables


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """Put the version trigger on every catalogue table (idempotent).

    BEFORE, not AFTER, the statement: the version row is locked before any catalogue
    row, in the same order by every writer, so two concurrent writers wait for each
    other instead of deadlocking.
    """
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if "guichet_catalogueversion" not in existing:  # migrated backwards past it
        return
    with connection.cursor() as cursor:
        for table in catalogue_tables():
            if table not in existing:
                continue
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} "
                f"BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {connection.ops.quote_name(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION guichet_catalogue_changed()"
            )


def on_post_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    install_triggers(using)


def version() -> int:
    """Return the current catalogue version (one query, unless the page cache read it)."""
    known = _request_version.get()
    if known is not None:
        return known
    return read_version()


def pinned_version() -> int | None:
    """Return the version pinned for this request (see ``pinned``), or ``None``."""
    return _request_version.get()


_memos: weakref.WeakSet = weakref.WeakSet()


def forget_memos() -> None:
    """Empty every ``Memo`` of this process (the benchmark's cold requests)."""
    for memo in list(_memos):
        memo.clear()


class Memo:
    """A bounded, process-local memory of values that depend only on the catalogue.

    Each entry is kept under the catalogue version it was computed at, so a change to
    the catalogue makes every older entry unreachable at once; the least recently used
    go first when ``size`` are held. Only used within a request whose version is
    pinned: outside one, ``get`` computes every time rather than read the version.
    For values that cost a query or a template and are asked again and again (a
    popular search's word lookup, a service's card, a filter's field), where a round
    trip to a shared cache would cost half as much. Values are shared between requests
    and threads: immutable, or never changed once made.
    """

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _memos.add(self)

    def get(self, key, compute: Callable[[], T]) -> T:
        """Return the value of ``key``; ``compute()`` gives it when not remembered."""
        return self.get_many([key], lambda _missing: {key: compute()})[key]

    def get_many(self, keys: list, compute: Callable[[list], dict]) -> dict:
        """Return ``{key: value}`` for ``keys``; ``compute(missing)`` gives those not
        remembered (all of them outside a pinned request), as a dict."""
        version = pinned_version()
        if version is None:
            return compute(list(keys))
        found, missing = {}, []
        with self._lock:
            for key in keys:
                full_key = (version, key)
                if full_key in self._entries:
                    self._entries.move_to_end(full_key)
                    found[key] = self._entries[full_key]
                else:
                    missing.append(key)
        if missing:
            computed = compute(missing)
            with self._lock:
                for key, value in computed.items():
                    self._entries[(version, key)] = value
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            found.update(computed)
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@contextmanager
def pinned() -> Iterator[int]:
    """Read the version once and answer it to every ``version()`` within the block.

    For read-only work only (a public page: the page cache pins the version for the
    length of the request): a write inside the block would not be seen.
    """
    token = _request_version.set(read_version())
    try:
        yield _request_version.get()
    finally:
        _request_version.reset(token)


def read_version() -> int:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT version FROM guichet_catalogueversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def remembered(key: str, compute: Callable[[], T], timeout: int = 24 * 60 * 60) -> T:
    """Return ``compute()``, kept in the cache until the catalogue next changes.

    For figures derived from the whole catalogue (the home page's count of services
    per category): computed once per catalogue version and language, however many
    processes ask.
    """
    full_key = f"guichet:catalogue:{version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value
