"""Static files: hashed names and compressed copies, served by WhiteNoise."""

from pathlib import Path

from django.conf import settings
from django.templatetags.static import static


def test_stylesheet_has_a_hashed_name():
    url = static("css/site.css")
    assert url.startswith("/static/css/site.") and url.endswith(".css")
    assert url != "/static/css/site.css"


def test_stylesheet_has_a_compressed_copy():
    name = static("css/site.css").removeprefix(settings.STATIC_URL)
    assert (Path(settings.STATIC_ROOT) / f"{name}.gz").exists()


def test_pages_link_only_to_static_files_of_this_site(client, db):
    html = client.get("/fr/").content.decode()
    assert "http://" not in html and "https://" not in html
