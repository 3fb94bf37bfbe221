"""The catalogue's service cards, rendered once per catalogue version, language and state.

A card's HTML follows from its service (the catalogue version), the language and what
it says of opening hours (the minute): the twenty cards of a list page were rendered
through the template engine on every request, a third of the page's template time.
"""

from django import template
from django.template.loader import get_template
from django.utils.translation import get_language

from guichet import catalogue

register = template.Library()

_rendered = catalogue.Memo(size=4000)


@register.simple_tag
def service_card(card, sub: bool = False) -> str:
    """The card ``card`` (``services.cards.ServiceCard``) as a list item; ``sub`` when it
    sits under a heading of the page (its title is then an h3, not an h2)."""
    sub = bool(sub)
    key = (get_language(), card.key, sub, card.is_open, card.opening, card.closes)
    return _rendered.get(
        key,
        lambda: get_template("services/_service_card.html").render({"card": card, "sub": sub}),
    )
