"""Template tags used by every page of the portal."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


def _swap_prefix(path: str, current: str, code: str) -> str:
    prefix = f"/{current}/"
    if path.startswith(prefix):
        return f"/{code}/{path[len(prefix) :]}"
    return f"/{code}/"


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Return, for each language, the address of the page being shown in that language.

    The query string is kept, so a visitor who switches language keeps their search.
    Pages that do not resolve (a 404) switch by their language prefix.
    """
    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path() if request else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            url = _swap_prefix(path, current, code)
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"][:1].upper() + info["name_local"][1:],
                "url": url,
                "current": code == current,
                "dir": "rtl" if info["bidi"] else "ltr",
            }
        )
    return links
