"""The language fallback of content fields, written once.

A content field (``name``, ``summary``…) is stored once per language by
django-modeltranslation (``name_ar``, ``name_fr``…). When the visitor's language has
no text, the first of ``MODELTRANSLATION_FALLBACK_LANGUAGES`` that has one is shown,
marked with its own ``lang`` and ``dir`` and a note naming the language. The template
tag ``{% tr %}``, the catalogue cards and the HSDS API all read texts through here.
"""

from collections.abc import Callable

from django.conf import settings
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, gettext_lazy

# Whole phrases, one per language, so no translated fragment is glued to another.
IN_LANGUAGE = {
    "ar": gettext_lazy("(in Arabic)"),
    "fr": gettext_lazy("(in French)"),
    "es": gettext_lazy("(in Spanish)"),
    "en": gettext_lazy("(in English)"),
}

Reader = Callable[[str], str | None]


def attribute_reader(obj) -> Reader:
    """Read the translated columns of a model instance (or any object)."""
    return lambda name: getattr(obj, name, None)


def text_in(read: Reader, field: str, language: str | None = None) -> tuple[str, str]:
    """Return ``(code, text)``: ``field`` in ``language`` (the active one by default),
    or in the first fallback language that has a text; ``("", "")`` when none has.

    ``read(name)`` returns the value of ``<field>_<code>`` from any source: a model
    attribute, a row read as a dictionary…
    """
    language = language or get_language() or settings.LANGUAGE_CODE
    for code in (language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES):
        value = read(f"{field}_{code}") or ""
        if value:
            return code, value
    return "", ""


def in_language(read: Reader, field: str, block: bool = False, current: str | None = None):
    """Return ``field`` as HTML in the active language, or its marked fallback.

    ``block`` renders paragraphs (for multi-line fields). Returns "" when no language
    has a text.
    """
    current = current or get_language() or settings.LANGUAGE_CODE
    code, value = text_in(read, field, current)
    if not value:
        return ""
    if code == current:
        return linebreaks(value) if block else value
    direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
    if block:
        return format_html(
            '<div class="fallback" lang="{}" dir="{}">{}</div><p class="fallback-note">{}</p>',
            code,
            direction,
            linebreaks(value),
            IN_LANGUAGE[code],
        )
    return format_html(
        '<span class="fallback" lang="{}" dir="{}">{}</span> <span class="fallback-note">{}</span>',
        code,
        direction,
        value,
        IN_LANGUAGE[code],
    )


def list_separator(language: str | None = None) -> str:
    """The separator of a list in running text: Arabic writes the Arabic comma (U+060C)."""
    return "، " if (language or get_language() or "").startswith("ar") else ", "
