"""Four languages: prefixes, the redirect from /, and the language switcher."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("ar-MA,ar;q=0.9", "/ar/"),
        ("es-ES,es;q=0.9", "/es/"),
        ("en-GB,en;q=0.8", "/en/"),
        ("fr-FR", "/fr/"),
        ("wo-SN,de;q=0.5", "/fr/"),
        ("", "/fr/"),
    ],
)
def test_root_redirects_by_the_browsers_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    html = client.get("/fr/services/?q=avocat").content.decode()
    for code in ("ar", "es", "en"):
        assert f'href="/{code}/services/?q=avocat" lang="{code}"' in html


def test_language_switcher_leaves_out_what_the_page_does_not_read(client):
    # The page cache keeps only the parameters a page reads (guichet/pagecache.py).
    html = client.get("/fr/?utm_source=poster").content.decode()
    assert 'href="/ar/" lang="ar"' in html


def test_language_switcher_names_each_language_in_its_own_script(client):
    html = client.get("/en/").content.decode()
    assert 'lang="ar" hreflang="ar" dir="rtl">العربيّة</a>' in html


def test_current_language_is_marked_in_the_switcher(client):
    html = client.get("/es/").content.decode()
    assert 'lang="es" hreflang="es" dir="ltr" aria-current="true">Español</a>' in html


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "طنجة"),
        ("fr", "Tanger"),
        ("es", "Tánger"),
        ("en", "Tangier"),
    ],
)
def test_desk_footer_is_translated(client, language, text):
    html = client.get(f"/{language}/").content.decode()
    assert text in html


def test_every_page_shows_the_emergency_numbers(client):
    html = client.get("/fr/").content.decode()
    assert 'href="tel:19"' in html and 'href="tel:15"' in html


def test_the_default_address_sends_each_visitor_to_their_language(client, catalogue):
    response = client.get(
        "/services/consultation-avocat/?x=1", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9"
    )
    assert response.status_code == 302
    assert response["Location"] == "/es/services/consultation-avocat/?x=1"
