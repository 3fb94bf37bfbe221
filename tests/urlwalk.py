"""Walk the URL configuration, so guard tests cannot forget a new URL."""

from django.urls import URLPattern, URLResolver, get_resolver


def named_urls(resolver=None, namespace: str = "") -> list[str]:
    """Return every named URL as ``namespace:name``, admin excluded."""
    resolver = resolver or get_resolver()
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(named_urls(entry, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names
