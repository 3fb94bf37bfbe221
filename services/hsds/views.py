"""The read-only Open Referral HSDS 3.0 API under /api/hsds/ (see tests/data/hsds)."""

import hashlib
import json
import uuid
from datetime import datetime
from math import ceil
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from associations.models import Association
from guichet import catalogue
from guichet.catalogue import remembered
from guichet.pagecache import visitor_page
from services.hsds import serializers
from services.hsds.tabular import StillBuilding, package
from services.models import Category, Language, OpeningHours, Service
from services.search import MAX_QUERY_LENGTH, search

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class BadRequest(Exception):
    pass


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    if asked:
        raise BadRequest(f"'lang' must be one of {', '.join(LANGUAGES)}.")
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _error(status: int, message: str) -> JsonResponse:
    return _cors(JsonResponse({"error": message, "status": status}, status=status))


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    # What a browser may send (conditional requests, a language) and read back.
    response["Access-Control-Allow-Headers"] = (
        "Accept, Accept-Language, If-None-Match, If-Modified-Since"
    )
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Language"
    response["Access-Control-Max-Age"] = "86400"
    response["Vary"] = "Accept-Language"
    return response


def _integer(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"'{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise BadRequest(f"'{name}' must be between {low} and {high}.")
    return value


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _respond(request: HttpRequest, build, *, language: str, version: tuple) -> HttpResponse:
    """Answer 304 when the client has this version already; otherwise build the JSON.

    ``version`` identifies the data (latest change, row count): it makes the ETag, with
    the address and the language.
    """
    latest = version[0]
    key = json.dumps([request.get_full_path(), language, [str(v) for v in version]])
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    last_modified = latest.timestamp() if isinstance(latest, datetime) else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _cors(not_modified)
    root = serializers.SITE_ROOT.set(request.build_absolute_uri("/").rstrip("/"))
    try:
        with translation.override(language):
            response = JsonResponse(build(), json_dumps_params={"ensure_ascii": False})
    finally:
        serializers.SITE_ROOT.reset(root)
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Content-Language"] = language
    response["Cache-Control"] = "public, max-age=300"
    return _cors(response)


def _envelope(contents: list, total: int, page: int = 1, pages: int = 1) -> dict:
    """The specification's paginated envelope around ``contents``."""
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def _page(
    request: HttpRequest, queryset: QuerySet, serialize, *, dated_by: str, items=None
) -> tuple:
    """The page asked for, and the list's version: its latest ``dated_by`` and its size.

    ``items(window)``, when given, turns the page's slice of ``queryset`` into its
    objects instead of ``serialize`` on each row (see ``_service_items``)."""
    page = _integer(request, "page", 1, 1, 10**6)
    per_page = _integer(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    # Its latest change and its size move only with the catalogue: read once per
    # catalogue version (an aggregate over every service, tens of milliseconds).
    counted = queryset.order_by()

    def aggregate() -> dict:
        return counted.aggregate(latest=Max(dated_by), count=Count("pk"))

    if counted.query.is_empty():  # no query to run, and no SQL to name it by
        version = aggregate()
    else:
        sql = str(counted.query).encode()
        version = remembered(f"hsds:list:{hashlib.sha256(sql).hexdigest()}", aggregate)
    total = version["count"]

    def build() -> dict:
        window = queryset[(page - 1) * per_page : page * per_page]
        pages = max(1, ceil(total / per_page))
        contents = items(window) if items else [serialize(row) for row in window]
        return _envelope(contents, total, page, pages)

    return build, (version["latest"], total, page, per_page)


# The query parameters each list reads (the page cache drops any other before the view).
LIST_PARAMS = ("lang", "page", "per_page", "search")
SERVICE_FILTERS = (
    *LIST_PARAMS,
    "organization_id",
    "taxonomy_term_id",
    "taxonomy_id",
    "modified_after",
)
TERM_FILTERS = (*LIST_PARAMS, "taxonomy_id", "parent_id", "top_only")
FREE_TEXT = ("search", "modified_after")


# Prefetched through plain querysets: modeltranslation's own rewrites every lookup,
# and Django filters a related manager per row and relation, which cost more than the
# page's SQL (the translated fields still read through modeltranslation's descriptors).
_PREFETCHED = [
    Prefetch("languages", QuerySet(Language)),
    Prefetch("hours", QuerySet(OpeningHours)),
    Prefetch("categories", QuerySet(Category)),
]


def _services() -> QuerySet:
    return (
        Service.objects.published()
        # The search vector (2.7 kB a service) is the database's own: not read.
        .defer("search_vector")
        .select_related("association", "location__association", "location__district")
        .prefetch_related(*_PREFETCHED)
        .order_by("slug")
    )


# Each service as HSDS, per catalogue version, language and site address: a page of
# the list read about 250 model instances through the ORM to build twenty objects that
# change only with the catalogue.
_serialized = catalogue.Memo(size=1000)


def _service_items(window: QuerySet) -> list[dict]:
    """The HSDS objects of the services in ``window`` (a slice of ``_services()``), in
    its order: their keys first, then only the services not remembered are read."""
    language, root = translation.get_language(), serializers.SITE_ROOT.get()
    wanted = [(language, root, key) for key in window.values_list("pk", flat=True)]

    def read(missing: list[tuple]) -> dict[tuple, dict]:
        found = _services().filter(pk__in=[key for _language, _root, key in missing])
        return {(language, root, obj.pk): serializers.service(obj, language) for obj in found}

    remembered_items = _serialized.get_many(wanted, read)
    return [remembered_items[key] for key in wanted if key in remembered_items]


ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")


def api(view):
    """GET (and HEAD, OPTIONS) only, JSON errors, CORS open.

    Exempt from CSRF: the API is read-only and uses no cookie, so a POST, PUT or DELETE
    gets the API's own answer, a 405 in JSON, rather than the site's HTML CSRF page.
    """

    @csrf_exempt
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = _error(405, f"This API is read-only: {', '.join(ALLOWED_METHODS)}.")
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        if request.method == "OPTIONS":
            return _cors(HttpResponse(status=204))
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return _error(400, str(error))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@api
def about(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/api/hsds/")
    return _cors(
        JsonResponse(
            {
                "version": serializers.HSDS_VERSION,
                "profile": "https://docs.openreferral.org/en/latest/hsds/",
                "openapi_url": request.build_absolute_uri(reverse("hsds:openapi")),
                "endpoints": [
                    f"{base}{name}"
                    for name in (
                        "services",
                        "organizations",
                        "service_at_locations",
                        "taxonomies",
                        "taxonomy_terms",
                    )
                ],
            }
        )
    )


def _filter_services(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """The filters the specification documents for services and services at locations:
    search, organization_id, taxonomy_term_id, taxonomy_id, modified_after."""
    text = _search_text(request)
    if text:
        # The catalogue's own search: same words, vocabulary, corrections and fallback.
        queryset, _fallback = search(queryset.active(), text).ranked(
            _integer(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
        )
    for name, lookup in (
        ("organization_id", "association__uuid"),
        ("taxonomy_term_id", "categories__uuid"),
    ):
        value = request.GET.get(name)
        if value:
            parsed = _uuid(value)
            if parsed is None:
                raise BadRequest(f"'{name}' must be a UUID.")
            queryset = queryset.filter(**{lookup: parsed})
    if request.GET.get("taxonomy_id") and request.GET["taxonomy_id"] != serializers.TAXONOMY_ID:
        queryset = queryset.none()
    modified = request.GET.get("modified_after")
    if modified:
        try:
            moment = parse_datetime(modified) or (
                datetime.combine(parse_date(modified), datetime.min.time())
                if parse_date(modified)
                else None
            )
        except ValueError:  # well formed but impossible, e.g. 2026-13-45
            moment = None

        if moment is None:
            raise BadRequest("'modified_after' must be an ISO 8601 date or date-time.")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        queryset = queryset.filter(modified_at__gte=moment)
    return queryset


def _named(queryset: QuerySet, text: str) -> QuerySet:
    """The rows whose name, in any language, contains ``text`` (all when it is empty):
    the ``search`` of the organizations and taxonomy terms."""
    if not text:
        return queryset
    matches = Q()
    for code in LANGUAGES:
        matches |= Q(**{f"name_{code}__icontains": text})
    return queryset.filter(matches)


def _search_text(request: HttpRequest) -> str:
    text = request.GET.get("search", "").replace("\x00", "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequest(f"'search' must be at most {MAX_QUERY_LENGTH} characters.")
    return text


@visitor_page(params=SERVICE_FILTERS, free_text=FREE_TEXT, api=True)
@api
def services(request: HttpRequest) -> HttpResponse:
    """Services: search, page, per_page, organization_id, taxonomy_term_id, modified_after."""
    language = _language(request)
    queryset = _filter_services(request, _services())
    build, version = _page(
        request,
        queryset,
        lambda s: serializers.service(s, language),
        dated_by="modified_at",
        items=_service_items,
    )
    return _respond(request, build, language=language, version=version)


@visitor_page(params=("lang",), api=True)
@api
def service_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    language = _language(request)
    parsed = _uuid(identifier)
    found = _services().filter(uuid=parsed).first() if parsed else None
    if found is None:
        return _error(404, "No service has this id.")
    return _respond(
        request,
        lambda: serializers.service(found, language),
        language=language,
        version=(found.modified_at, 1),
    )


def _organizations() -> QuerySet:
    return Association.objects.active().order_by("slug")


@visitor_page(params=LIST_PARAMS, free_text=FREE_TEXT, api=True)
@api
def organizations(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    queryset = _named(_organizations(), _search_text(request))
    build, version = _page(
        request,
        queryset,
        lambda a: serializers.organization(a, language),
        dated_by="updated_at",
    )
    return _respond(request, build, language=language, version=version)


@visitor_page(params=("lang",), api=True)
@api
def organization_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    language = _language(request)
    parsed = _uuid(identifier)
    found = _organizations().filter(uuid=parsed).first() if parsed else None
    if found is None:
        return _error(404, "No organization has this id.")
    offered = list(_services().filter(association=found))

    def build() -> dict:
        return serializers.organization(
            found, language, [serializers.service(s, language, full=False) for s in offered]
        )

    latest = max([found.updated_at, *(s.modified_at for s in offered)])
    return _respond(request, build, language=language, version=(latest, len(offered)))


@visitor_page(params=SERVICE_FILTERS, free_text=FREE_TEXT, api=True)
@api
def service_at_locations(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    queryset = _filter_services(request, _services().filter(location__isnull=False))
    build, version = _page(
        request,
        queryset,
        lambda s: serializers.service_at_location(s, language),
        dated_by="modified_at",
    )
    return _respond(request, build, language=language, version=version)


@visitor_page(params=("lang",), api=True)
@api
def service_at_location_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    language = _language(request)
    parsed = _uuid(identifier)
    found = _services().filter(location__isnull=False, site_uuid=parsed).first() if parsed else None
    if found is None:
        return _error(404, "No service at location has this id.")
    return _respond(
        request,
        lambda: serializers.service_at_location(found, language),
        language=language,
        version=(found.modified_at, 1),
    )


def _in_pages(request: HttpRequest, contents: list) -> dict:
    """The page asked for (``page``, ``per_page``) of a short list built in memory."""
    page = _integer(request, "page", 1, 1, 10**6)
    per_page = _integer(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    pages = max(1, ceil(len(contents) / per_page))
    shown = contents[(page - 1) * per_page : page * per_page]
    return _envelope(shown, len(contents), page, pages)


def _boolean(request: HttpRequest, name: str) -> bool:
    value = request.GET.get(name, "").lower()
    if value not in ("", "true", "false", "1", "0"):
        raise BadRequest(f"'{name}' must be true or false.")
    return value in ("true", "1")


@visitor_page(params=LIST_PARAMS, free_text=FREE_TEXT, api=True)
@api
def taxonomies(request: HttpRequest) -> HttpResponse:
    """The one taxonomy of the categories: search (its name), page, per_page."""
    language = _language(request)
    text = _search_text(request).casefold()
    found = [t for t in [serializers.taxonomy()] if text in t["name"].casefold()]
    payload = _in_pages(request, found)
    return _respond(request, lambda: payload, language=language, version=("taxonomy", 1))


@visitor_page(params=("lang",), api=True)
@api
def taxonomy_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    if identifier != serializers.TAXONOMY_ID:
        return _error(404, "No taxonomy has this id.")
    language = _language(request)
    return _respond(request, serializers.taxonomy, language=language, version=("taxonomy", 1))


@visitor_page(params=TERM_FILTERS, free_text=FREE_TEXT, api=True)
@api
def taxonomy_terms(request: HttpRequest) -> HttpResponse:
    """The categories: search, page, per_page, taxonomy_id, parent_id, top_only."""
    language = _language(request)
    queryset = _named(Category.objects.order_by("position", "slug"), _search_text(request))
    taxonomy = request.GET.get("taxonomy_id")
    # One flat taxonomy: every term is a top term (top_only changes nothing), none has a
    # parent.
    _boolean(request, "top_only")
    if (taxonomy and taxonomy != serializers.TAXONOMY_ID) or request.GET.get("parent_id"):
        queryset = queryset.none()
    terms = list(queryset)
    contents = [serializers.taxonomy_term(term, language) for term in terms]
    payload = _in_pages(request, contents)
    digest = hashlib.sha256(json.dumps(contents, ensure_ascii=False).encode()).hexdigest()
    return _respond(request, lambda: payload, language=language, version=(digest, len(contents)))


@visitor_page(params=("lang",), api=True)
@api
def taxonomy_term_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    language = _language(request)
    parsed = _uuid(identifier)
    term = Category.objects.filter(uuid=parsed).first() if parsed else None
    if term is None:
        return _error(404, "No taxonomy term has this id.")
    content = serializers.taxonomy_term(term, language)
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
    return _respond(request, lambda: content, language=language, version=(digest, 1))


@api
def tabular(request: HttpRequest) -> HttpResponse:
    """The whole catalogue as an HSDS tabular data package (a zip of CSV files).

    Built once per catalogue change and language (``tabular.package``), answered with
    its ETag: a client that has it gets a 304.
    """
    language = _language(request)
    try:
        built = package(language)
    except StillBuilding:
        response = _error(503, "The export is being built; try again in a few seconds.")
        response["Retry-After"] = "10"
        return response
    not_modified = get_conditional_response(request, etag=built.etag)
    if not_modified is not None:
        return _cors(not_modified)
    response = HttpResponse(built.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="guichet-hsds-{language}.zip"'
    response["ETag"] = built.etag
    response["Content-Language"] = language
    response["Cache-Control"] = "public, max-age=300"
    return _cors(response)


OPENAPI = Path(__file__).with_name("openapi.json")


@api
def openapi(request: HttpRequest) -> HttpResponse:
    """The specification's OpenAPI description (a copy, unchanged but for ``servers``)."""
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    document["servers"] = [{"url": request.build_absolute_uri(reverse("hsds:about")).rstrip("/")}]
    return _cors(JsonResponse(document, json_dumps_params={"ensure_ascii": False}))


@api
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other address under /api/hsds/ answers in JSON, like the rest of the API."""
    return _error(404, "There is no such address in this API; see /api/hsds/ for the endpoints.")


# The developer documentation (/<lang>/api/hsds/docs/): what each address answers and
# which parameters it reads, in the visitor's language.
PARAMETERS = {
    "lang": _("The language of the texts: ar, fr, es or en (otherwise Accept-Language)."),
    "page": _("The page of the list, from 1."),
    "per_page": _("Items per page, from 1 to 100 (25 by default)."),
    "search": _("Words to look for, as on the site's search."),
    "organization_id": _("Only the services of this organization (its id)."),
    "taxonomy_term_id": _("Only the services in this category (its id)."),
    "taxonomy_id": _("Only the terms or services of this taxonomy."),
    "parent_id": _("Only the terms under this one (the categories have no parent)."),
    "top_only": _("Only the top terms: true or false (every category is a top term)."),
    "modified_after": _(
        "Only what changed on or after this date or date-time (ISO 8601), including a change"
        " to its organization, place, categories, languages or hours."
    ),
}


def _endpoints() -> list[dict]:
    service = _services().active().first()
    term = Category.objects.order_by("position", "slug").first()
    return [
        {
            "path": "services",
            "what": _("The services, paginated."),
            "parameters": SERVICE_FILTERS,
            "example": "services?search=avocat&per_page=5",
        },
        {
            "path": "services/{id}",
            "what": _("One service with everything about it: hours, place, languages."),
            "parameters": ["lang"],
            "example": f"services/{service.uuid}" if service else "",
        },
        {
            "path": "organizations",
            "what": _("The associations, paginated."),
            "parameters": LIST_PARAMS,
            "example": "organizations?per_page=5",
        },
        {
            "path": "organizations/{id}",
            "what": _("One association with its services."),
            "parameters": ["lang"],
            "example": f"organizations/{service.association.uuid}" if service else "",
        },
        {
            "path": "service_at_locations",
            "what": _("Each service at its place, paginated."),
            "parameters": SERVICE_FILTERS,
            "example": "service_at_locations?per_page=5",
        },
        {
            "path": "service_at_locations/{id}",
            "what": _("One service at its place."),
            "parameters": ["lang"],
            "example": f"service_at_locations/{service.site_uuid}"
            if service and service.location_id
            else "",
        },
        {
            "path": "taxonomies",
            "what": _("The taxonomy of the categories."),
            "parameters": LIST_PARAMS,
            "example": "taxonomies",
        },
        {
            "path": "taxonomy_terms",
            "what": _("The categories."),
            "parameters": TERM_FILTERS,
            "example": "taxonomy_terms",
        },
        {
            "path": "taxonomy_terms/{id}",
            "what": _("One category."),
            "parameters": ["lang"],
            "example": f"taxonomy_terms/{term.uuid}" if term else "",
        },
        {
            "path": "tabular.zip",
            "what": _("The whole catalogue as CSV files (an HSDS tabular data package)."),
            "parameters": ["lang"],
            "example": "tabular.zip?lang=fr",
        },
    ]


@visitor_page()
def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation for developers, a page of the site in four languages."""
    return render(
        request,
        "services/hsds_docs.html",
        {
            "endpoints": _endpoints(),
            "parameters": PARAMETERS,
            "api_root": reverse("hsds:about"),
            "openapi_url": reverse("hsds:openapi"),
        },
    )


@api
def docs_in_language(request: HttpRequest) -> HttpResponse:
    """/api/hsds/docs/: the documentation in the language asked for (lang or
    Accept-Language)."""
    with translation.override(_language(request)):
        return redirect(reverse("hsds_docs"))
