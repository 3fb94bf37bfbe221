"""Refused looks at referral data go to the access log too."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from referrals.models import AccessLog
from referrals.workflow import log_access

# The URL namespaces that show referral data (referrals/urls.py, referrals/stats_urls.py).
REFERRAL_NAMESPACES = {"desk", "stats"}


class LogRefusedReferralPages:
    """Write a refused staff page (another association's referral: 404; a slip the role
    may not print, a page the account has no role for: 403) to the access log, so that
    probes show there beside the accesses they did not get."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if not isinstance(exception, PermissionDenied | Http404):
            return None
        match = request.resolver_match
        if match is None or not REFERRAL_NAMESPACES & set(match.namespaces):
            return None
        if not request.user.is_authenticated:
            return None
        status = 403 if isinstance(exception, PermissionDenied) else 404
        path = "".join(c if c.isprintable() else "?" for c in request.path)
        log_access(
            request.user, AccessLog.Action.REFUSED, detail=f"{status} {request.method} {path}"
        )
        return None  # Django answers the 403/404 as usual
