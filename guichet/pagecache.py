"""The whole-page cache for anonymous visitors of the public catalogue.

The public pages (home, service list and pages, the directory, association pages, the
HSDS API) are the same for every anonymous visitor in a language, so the finished
response is kept in Django's cache framework and served without running the view.

The key is made of:

- the address, normalised: parameters the page does not read are dropped, empty ones
  too, a repeated parameter keeps its last value (the one the page reads), and the
  rest are sorted. The view then runs on that same normalised query, so the page is a
  function of its key and junk (``?utm_source=…``, ``?x=<random>``) cannot multiply
  the entries;
- the language of the page (from the address, or for the API from ``lang`` and
  ``Accept-Language``);
- the catalogue version (``guichet.catalogue``): any committed change to the catalogue
  moves it, so the next request of every process, sharing a cache or not, builds the
  page afresh — invalidation is exact and immediate without knowing which page a
  change touches;
- for pages that say what is open now, the current minute: such a page is never
  older than sixty seconds.

Never served from the cache nor stored in it: anything but GET and HEAD, a request
that carries a session or a flash message cookie (staff, someone who just sent a
form), a response that sets a cookie, uses the CSRF token or was marked private by
its view, anything but a 200. Pages served to a session are marked
``private, no-store`` so that no shared proxy keeps them either.

Entries are spread over two bounded caches: ``pages`` and ``searches`` (any page with
free text, whose addresses are unbounded): a flood of distinct searches can only push
out other searches, never the home page or a service page. Parameter values too long
or page numbers too large for a person to ask are answered but not stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_vary_headers

from guichet import catalogue

# Names of the two bounded caches (settings.CACHES).
PAGES = "pages"
SEARCHES = "searches"

# Values no one types: answered, never stored.
MAX_STORED_VALUE_LENGTH = 100
MAX_STORED_PAGE = 200

HIT, MISS = "HIT", "MISS"
_SKIPPED_HEADERS = {"set-cookie", "date", "x-cache"}


@dataclass(frozen=True)
class Policy:
    """How one public view is cached.

    ``params``: the query parameters the view reads (a callable, so that a filter
    added to a FilterSet is kept without touching this file). ``free_text``: those
    whose values are unbounded, which send the page to the ``searches`` cache.
    ``time_dependent``: the page says what is open now.
    """

    params: Callable[[], Iterable[str]] = tuple
    free_text: frozenset[str] = field(default_factory=frozenset)
    time_dependent: bool = False
    api: bool = False

    def allowed(self) -> frozenset[str]:
        return frozenset(self.params())


def visitor_page(
    *,
    params: Iterable[str] | Callable[[], Iterable[str]] = (),
    free_text: Iterable[str] = (),
    time_dependent: bool = False,
    api: bool = False,
):
    """Mark a public view as cacheable for anonymous visitors, declaring beside the view
    the query parameters it reads (any other is dropped before the view runs, so the
    page always matches its key), those of them that are free text, and whether the
    page says what is open now. Unmarked views are never cached."""
    policy = Policy(
        params if callable(params) else (lambda: tuple(params)),
        frozenset(free_text),
        time_dependent,
        api,
    )

    def mark(view):
        view.page_cache_policy = policy
        return view

    return mark


def normalise(query: QueryDict, allowed: frozenset[str]) -> QueryDict:
    """Return the query the page reads: known, non-empty parameters, last value, sorted."""
    kept = QueryDict(mutable=True)
    for name in sorted(allowed & query.keys()):
        value = query.getlist(name)[-1]
        if value.strip():
            kept[name] = value
    kept._mutable = False
    return kept


def storable_query(query: QueryDict) -> bool:
    """False for values no person asks for (huge page numbers, very long texts)."""
    for name, value in query.items():
        if len(value) > MAX_STORED_VALUE_LENGTH:
            return False
        if name in ("page", "per_page") and not (
            value.isascii() and value.isdigit() and 0 < int(value) <= MAX_STORED_PAGE
        ):
            return False
    return True


def api_language(request: HttpRequest) -> str:
    """The language the HSDS API answers in: ``lang``, else ``Accept-Language``."""
    languages = [code for code, _name in settings.LANGUAGES]
    asked = request.GET.get("lang", "")
    if asked in languages:
        return asked
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _has_private_state(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
        or "Authorization" in request.headers
    )


@dataclass
class _Lookup:
    cache_alias: str
    key: str
    language: str
    policy: Policy
    store: bool


class PageCacheMiddleware:
    """Serve and store whole public pages for anonymous visitors (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_catalogue_version_token", None)
            if token is not None:
                catalogue._request_version.reset(token)
        lookup: _Lookup | None = getattr(request, "_page_cache", None)
        if getattr(request, "_page_cache_private", False):
            add_never_cache_headers(response)
            return response
        if lookup is None or response.get("X-Cache") == HIT:
            return response
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            # A response that sets a cookie is someone's own: no proxy may keep it.
            add_never_cache_headers(response)
            return response
        if lookup.store and self._storable(request, response, lookup):
            response["ETag"] = _etag(response.content)
            self._public_headers(response, lookup)
            response["X-Cache"] = MISS
            caches[lookup.cache_alias].set(
                lookup.key,
                {
                    "content": response.content,
                    "headers": [
                        (name, value)
                        for name, value in response.items()
                        if name.lower() not in _SKIPPED_HEADERS
                    ],
                },
                _timeout(lookup),
            )
            not_modified = get_conditional_response(request, etag=response["ETag"])
            if not_modified is not None:
                return self._not_modified(response)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        policy = getattr(view_func, "page_cache_policy", None)
        if policy is None:
            return None
        if request.method in ("GET", "HEAD"):
            # Read the version once; the view's own cached pieces (choice lists,
            # category counts) reuse it, page cache on or off.
            version = catalogue.read_version()
            request._catalogue_version_token = catalogue._request_version.set(version)
        if not settings.PAGE_CACHE_ENABLED:
            return None
        request.GET = normalise(request.GET, policy.allowed())
        request.META["QUERY_STRING"] = request.GET.urlencode()
        if request.method not in ("GET", "HEAD"):
            return None
        if _has_private_state(request):
            request._page_cache_private = True
            return None
        language = api_language(request) if policy.api else translation.get_language()
        parts = [
            request.scheme,
            request.get_host(),
            request.path,
            request.GET.urlencode(),
            language,
            str(version),
        ]
        if policy.time_dependent:
            parts.append(str(int(timezone.now().timestamp() // 60)))
        key = "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
        alias = SEARCHES if policy.free_text & request.GET.keys() else PAGES
        lookup = _Lookup(alias, key, language, policy, storable_query(request.GET))
        request._page_cache = lookup
        entry = caches[alias].get(key)
        if entry is None:
            return None
        response = HttpResponse(entry["content"] if request.method == "GET" else b"")
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Cache"] = HIT
        not_modified = get_conditional_response(request, etag=response["ETag"])
        if not_modified is not None:
            return self._not_modified(response)
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse, lookup: _Lookup) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if response.get("Content-Language", lookup.language) != lookup.language:
            return False
        control = response.get("Cache-Control", "")
        if any(word in control for word in ("private", "no-store", "no-cache")):
            return False
        if "*" in response.get("Vary", ""):
            return False
        content = response.content
        return (
            len(content) <= settings.PAGE_CACHE_MAX_BYTES and b"csrfmiddlewaretoken" not in content
        )

    @staticmethod
    def _public_headers(response: HttpResponse, lookup: _Lookup) -> None:
        response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_MAX_AGE}"
        # A session or message cookie changes the page; the API also answers in the
        # language the client accepts.
        patch_vary_headers(
            response, ("Cookie", "Accept-Language") if lookup.policy.api else ("Cookie",)
        )

    @staticmethod
    def _not_modified(response: HttpResponse) -> HttpResponse:
        not_modified = HttpResponse(status=304)
        for name in ("ETag", "Cache-Control", "Vary", "Content-Language", "X-Cache"):
            if name in response:
                not_modified[name] = response[name]
        return not_modified


def _timeout(lookup: _Lookup) -> int:
    """Entries of a past minute or of a search are dead weight soon: let them go."""
    if lookup.policy.time_dependent or lookup.cache_alias == SEARCHES:
        return min(settings.PAGE_CACHE_TIMEOUT, 120)
    return settings.PAGE_CACHE_TIMEOUT


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
