"""A content field missing in the visitor's language falls back alike everywhere: the
{% tr %} tag, the catalogue cards and the HSDS API all read it through guichet.i18n."""

import pytest
from django.test import override_settings

from tests import factories

SPANISH = "Clases de darija para adultos."
ARABIC = "دروس الدارجة للكبار."
# Neither English nor French: with the fallback order fr, en, es, ar, Spanish is shown.
SUMMARY = {"es": SPANISH, "ar": ARABIC}


@pytest.fixture
def half_translated(db):
    return factories.service(slug="cours-darija", name="Darija", summary=SUMMARY)


def shown(client, service) -> dict[str, str]:
    """The summary as the service page, its card and the API give it, in English."""
    return {
        "page": client.get(f"/en/services/{service.slug}/").content.decode(),
        "card": client.get("/en/services/").content.decode(),
        # The summary leads the HSDS description; this service has no other text.
        "api": client.get(f"/api/hsds/services/{service.uuid}?lang=en").json()["description"],
    }


def marked(text: str, code: str, note: str) -> str:
    direction = "rtl" if code == "ar" else "ltr"
    return (
        f'<span class="fallback" lang="{code}" dir="{direction}">{text}</span> '
        f'<span class="fallback-note">{note}</span>'
    )


def test_a_missing_text_falls_back_alike_on_the_page_the_card_and_the_api(client, half_translated):
    places = shown(client, half_translated)
    assert marked(SPANISH, "es", "(in Spanish)") in places["page"]
    assert marked(SPANISH, "es", "(in Spanish)") in places["card"]
    assert places["api"] == SPANISH


@override_settings(MODELTRANSLATION_FALLBACK_LANGUAGES=("ar", "fr", "en", "es"))
def test_every_place_follows_the_one_fallback_order(client, half_translated):
    places = shown(client, half_translated)
    assert marked(ARABIC, "ar", "(in Arabic)") in places["page"]
    assert marked(ARABIC, "ar", "(in Arabic)") in places["card"]
    assert places["api"] == ARABIC


def test_a_text_in_the_visitors_language_is_not_marked(client, half_translated):
    html = client.get(f"/es/services/{half_translated.slug}/").content.decode()
    assert f'<p class="lead">{SPANISH}</p>' in html and "fallback" not in html.split("<main")[1]
