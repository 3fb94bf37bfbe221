"""Guards for the whole project: migrations, translations, public pages in four languages."""

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.conftest import LANGUAGES
from tests.urlwalk import named_urls

LOCALE = Path(settings.BASE_DIR) / "locale"

# Every public page, by URL name, with what reversing it needs. Staff pages are
# guarded by the referrals access matrix instead.
PUBLIC_PAGES = {
    "home": {},
    "services:list": {},
    "services:detail": {"slug": "consultation-avocat"},
    "associations:list": {},
    "associations:detail": {"slug": "droits-pour-tous"},
    "upkeep:report_problem": {"slug": "consultation-avocat"},
    "upkeep:report_problem_sent": {"slug": "consultation-avocat"},
    "hsds_docs": {},  # the open-data API's documentation
}
NOT_PAGES = {"healthz"}


def test_no_migration_is_pending(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"models changed without a migration:\n{out.getvalue()}")


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_po_file_has_no_empty_or_fuzzy_entry(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_every_named_url_is_classified():
    known = set(PUBLIC_PAGES) | NOT_PAGES | set(getattr(settings, "STAFF_URL_NAMES", ()))
    staff = {
        name
        for name in named_urls()
        if name.startswith(("desk:", "accounts:", "stats:", "upkeep:"))
    }
    api = {
        name for name in named_urls() if name.startswith("hsds:")
    }  # tests/services/test_hsds_api.py
    assert set(named_urls()) - known - staff - api == set()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_public_page_answers_in_every_language(
    client, catalogue, assert_valid_html, name, language
):
    with translation.override(language):
        url = reverse(name, kwargs=PUBLIC_PAGES[name])
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    assert_valid_html(response)


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left(client):
    html = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "es", "en"])
def test_latin_pages_are_left_to_right(client, language):
    html = client.get(f"/{language}/").content.decode()
    assert f'<html lang="{language}" dir="ltr">' in html
