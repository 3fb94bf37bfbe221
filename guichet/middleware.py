import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render


class StaffSessionTimeout:
    """End a logged-in session after SESSION_IDLE_TIMEOUT idle seconds, and after
    SESSION_COOKIE_AGE seconds in all, on the server (the session is flushed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("guichet_started", now)
            last = request.session.get("guichet_seen", now)
            if (
                now - last > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
            elif now - last > 60:
                # Written at most once a minute: one session write, not one per request.
                request.session["guichet_seen"] = now
            else:
                request.session.setdefault("guichet_seen", now)
        return self.get_response(request)


class RefuseNulInAdmin:
    """Answer 400 to an admin request whose parameters hold a NUL byte.

    PostgreSQL text cannot hold one, and the admin's list filters and search pass
    parameters straight to queries: refuse the request before it gets there. (Public
    pages leave such a parameter out with a message instead.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and self._has_nul(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        sources = [request.GET] + ([request.POST] if request.method == "POST" else [])
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        return False
