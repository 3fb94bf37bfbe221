"""Template tags used by every page of the portal."""

from functools import partial

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, get_language_info

from guichet import catalogue
from guichet.i18n import attribute_reader, in_language, list_separator

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
    A page outside the language-prefixed URLs links to each language's home page.
    """
    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path() if request else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        # Our URL patterns are prefixed by the language, never translated: swapping
        # the prefix is what translate_url() would do, without resolving the path.
        url = path if code == current else _swap_prefix(path, current, code)
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


@register.simple_tag(takes_context=True)
def alternate_links(context) -> list[dict]:
    """Return the page's ``<link rel="alternate" hreflang>`` targets: the page in each
    language, and ``x-default``: the address without a language, which sends each
    visitor to their browser's language.

    The addresses are root-relative, never built from the request's ``Host`` header:
    a cached page never carries a host someone sent, and the error page for a refused
    host still renders."""
    request = context.get("request")
    if request is None:
        return []
    links = [{"hreflang": link["code"], "href": link["url"]} for link in language_links(context)]
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    prefix = f"/{current}/"
    neutral = "/" + path[len(prefix) :] if path.startswith(prefix) else "/"
    links.append({"hreflang": "x-default", "href": neutral})
    return links


@register.simple_tag
def tr(obj, field: str, block: bool = False):
    """Render ``obj.<field>`` in the active language, or a marked fallback (see
    guichet.i18n). ``block`` renders paragraphs (for multi-line fields)."""
    return in_language(attribute_reader(obj), field, block)


@register.simple_tag
def comma() -> str:
    """The list separator of the active language (Arabic writes "، ")."""
    return list_separator()


@register.filter
def digits(value: str) -> str:
    """Keep the digits of a phone number (and a leading +), for tel: and WhatsApp links."""
    value = str(value or "")
    kept = "".join(ch for ch in value if ch.isdigit())
    return f"+{kept}" if value.strip().startswith("+") else kept


@register.filter
def machine_time(value) -> str:
    """An aware datetime as the HTML ``datetime`` attribute wants it: to the second,
    in the city's time zone (Django's ``date:'c'`` keeps microseconds, which HTML refuses)."""
    if not value:
        return ""
    return localtime(value).replace(microsecond=0).isoformat()


# A constant.
SELECTED = mark_safe(" selected")  # nosec B308


@register.simple_tag
def select(field):
    """Render a choice field's <select> directly: Django's widget templates render each
    <option> through a template of its own, the costliest part of the catalogue page."""
    current = field.value()
    current = "" if current is None else str(current)

    def options(choices):
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, SELECTED if str(value) == current else "", label) for value, label in choices),
        )

    # A choice whose "value" is a list is a group of options (<optgroup>).
    groups = []
    for value, label in field.field.choices:
        if isinstance(label, list | tuple):
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', value, options(label)))
        else:
            groups.append(options([(value, label)]))
    rendered = format_html_join("", "{}", ((group,) for group in groups))
    return format_html(
        '<select name="{}" id="{}">{}</select>', field.html_name, field.id_for_label, rendered
    )


_fields = catalogue.Memo(size=1000)


def _frozen(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@register.simple_tag
def catalogue_field(field) -> str:
    """``includes/field.html`` for a field of a public form whose choices come from the
    catalogue (the service list's filters), rendered once per catalogue version,
    language and value: eight fields took a third of the list page's template time.
    A field with errors is rendered every time."""
    render = partial(get_template("includes/field.html").render, {"field": field})
    if field.errors:
        return render()
    key = (
        get_language(),
        type(field.form).__qualname__,
        field.html_name,
        field.auto_id,
        _frozen(field.value()),
    )
    return _fields.get(key, render)
