import time

from django.conf import settings
from django.contrib.auth import logout


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
