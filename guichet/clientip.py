"""The client's address, as far as this deployment can trust it.

``X-Forwarded-For`` is a list that every proxy on the way appends the address it saw
to; anything to the left of what our own proxies appended was written by the client
and proves nothing. ``TRUSTED_PROXY_COUNT`` says how many proxies of ours stand in
front of the application (0: none, the connection's own address is the client's;
1: nginx as in docs/deploy.md). The client is the entry the outermost of them
appended: the ``TRUSTED_PROXY_COUNT``-th from the right.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Return the client's address: from the trusted end of ``X-Forwarded-For`` behind
    ``TRUSTED_PROXY_COUNT`` proxies, otherwise the connection's. Never raises."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        # Fewer entries than proxies: the request did not come through them all.
        return remote
    candidate = hops[-count]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
