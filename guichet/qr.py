"""QR codes as inline SVG (segno), drawn in the page: a service's handout and a referral's slip (so
that a person can open the page from the paper) and a staff member's authenticator set-up.
No image request, no outside service."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, title: str, scale: int = 3) -> SafeString:
    """Return ``text`` as a QR code in an ``<svg>`` whose accessible name is ``title``."""
    svg = segno.make(text, error="m").svg_inline(
        scale=scale, title=title, svgclass="qr", lineclass=None
    )
    # segno writes the markup and escapes the title; only role="img" is added.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308  # nosec B308 B703
