"""A fixed-window counter per client in Django's cache, for anonymous forms.

With several application servers, set ``CACHE_URL`` so that they share the counts;
with the default local-memory cache each process counts on its own.
"""

import hashlib
import time

from django.core.cache import cache


def _key(scope: str, who: str, window: int) -> str:
    # The address is hashed: the cache holds no address a person could read back.
    digest = hashlib.sha256(f"{scope}:{who}".encode()).hexdigest()[:32]
    return f"guichet:ratelimit:{scope}:{digest}:{window}"


def allow(scope: str, who: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more attempt by ``who`` in ``scope``; return whether it is within
    ``limit`` attempts in the current window of ``window_seconds``."""
    window = int(time.time()) // window_seconds
    key = _key(scope, who, window)
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
