import logging
import sys

from django.db import DatabaseError, DataError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# SQLSTATEs that mean the server is gone or will not take us now: connection exceptions
# (class 08), an administrator's shutdown or a server starting (57P01-57P03), no free
# connection (53300). Anything else is an answer from a working database.
UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300")
RETRY_AFTER_SECONDS = 60


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` means the database cannot be reached (not a bad query or value)."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    code = getattr(error.__cause__, "pgcode", None)
    # No SQLSTATE at all: the server never answered (refused, reset, closed).
    return code is None or code.startswith(UNAVAILABLE_STATES)


def bad_input(error: BaseException | None) -> bool:
    """Whether ``error`` is the database refusing a value the request brought: too long,
    out of range, malformed (SQLSTATE class 22), or a NUL byte, which PostgreSQL text
    cannot hold (the driver refuses it before sending)."""
    if isinstance(error, DataError):
        return True
    return isinstance(error, ValueError) and "NUL (0x00)" in str(error)


def wants_json(request: HttpRequest) -> bool:
    """The open-data API answers its errors in JSON, whatever went wrong."""
    return request.path.startswith("/api/")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer 200 when the application and its database work, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """A friendly 503 when the database cannot be reached, a 400 when it refused a value
    the request brought, the styled 500 otherwise; in JSON for the open-data API.

    The 503 and 500 templates stand alone (no database, no session): they must render
    when nothing else does.
    """
    error = sys.exc_info()[1]
    if database_unavailable(error):
        if wants_json(request):
            response = JsonResponse(
                {"error": "The database is unavailable; try again later.", "status": 503},
                status=503,
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if bad_input(error):
        logger.warning("Bad request refused by the database: %s %s", request.path, error)
        if wants_json(request):
            return JsonResponse({"error": "Bad request.", "status": 400}, status=400)
        try:
            return render(request, "400.html", status=400)
        except DatabaseError:
            return HttpResponse("Bad request\n", status=400, content_type="text/plain")
    if wants_json(request):
        return JsonResponse({"error": "Server error.", "status": 500}, status=500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token: say so, in the visitor's language."""
    return render(request, "403_csrf.html", status=403)
