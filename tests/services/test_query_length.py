"""The longest search is one number, services.search.MAX_QUERY_LENGTH, wherever a
search is typed or sent: the search boxes, the catalogue, the desk's picker, the API."""

import re

import pytest

from services.search import MAX_QUERY_LENGTH

LONGEST = "a" * MAX_QUERY_LENGTH
TOO_LONG = "a" * (MAX_QUERY_LENGTH + 1)


def maxlength(html: str, name: str = "q") -> int:
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return int(re.search(r'maxlength="(\d+)"', field).group(1))


@pytest.mark.parametrize("url", ["/fr/", "/fr/services/"])
def test_the_public_search_boxes_hold_the_maximum(client, catalogue, url):
    assert maxlength(client.get(url).content.decode()) == MAX_QUERY_LENGTH


def test_the_desk_picker_holds_and_applies_the_maximum(client, desk_user, catalogue):
    client.force_login(desk_user)
    response = client.get("/fr/desk/refer/", {"q": TOO_LONG})
    assert maxlength(response.content.decode()) == MAX_QUERY_LENGTH
    assert response.context["q"] == LONGEST


def test_the_catalogue_takes_the_longest_search_and_explains_a_longer_one(client, catalogue):
    longest = client.get("/en/services/", {"q": LONGEST}).content.decode()
    too_long = client.get("/en/services/", {"q": TOO_LONG}).content.decode()
    assert f"at most {MAX_QUERY_LENGTH} characters" not in longest
    assert f"at most {MAX_QUERY_LENGTH} characters" in too_long


def test_the_api_takes_the_longest_search_and_refuses_a_longer_one(client, catalogue):
    assert client.get("/api/hsds/services", {"search": LONGEST}).status_code == 200
    assert client.get("/api/hsds/services", {"search": TOO_LONG}).status_code == 400
