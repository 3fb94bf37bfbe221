"""Bad addresses answer a styled, translated 404, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/xx/", "/de/services/", "/fr/no-such-page/", "/ar/%00/", "/fr/../../etc/passwd"],
)
def test_unknown_address_answers_a_styled_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert '<a class="skip-link"' in response.content.decode()


def test_404_is_in_the_language_of_the_prefix(client):
    response = client.get("/ar/no-such-page/")
    assert "الصفحة غير موجودة" in response.content.decode()


def test_404_language_switcher_keeps_the_visitor_on_the_same_address(client):
    html = client.get("/fr/no-such-page/").content.decode()
    assert 'href="/en/no-such-page/"' in html
