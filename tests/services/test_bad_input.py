"""Any value of any GET parameter gives a page with a clear message, never a 500."""

import pytest

BAD_VALUES = [
    "",
    "abc",
    "99999",
    "-1",
    "0",
    "x" * 5000,
    "nul\x00byte",
    "' OR 1=1 --",
    "'; DROP TABLE services_service; --",
    "<script>alert(1)</script>",
    "%00",
    "ف" * 300,
]
PARAMETERS = [
    "q",
    "category",
    "language",
    "free",
    "open_now",
    "district",
    "audience",
    "no_id",
    "page",
]


@pytest.mark.parametrize("value", BAD_VALUES, ids=range(len(BAD_VALUES)))
@pytest.mark.parametrize("parameter", PARAMETERS)
def test_bad_value_never_breaks_the_service_list(client, catalogue, parameter, value):
    response = client.get("/fr/services/", {parameter: value})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize("parameter", ["category", "district"])
@pytest.mark.parametrize("value", ["abc", "' OR 1=1 --", "nul\x00byte"])
def test_bad_value_never_breaks_the_directory(client, catalogue, parameter, value):
    assert client.get("/fr/associations/", {parameter: value}).status_code == 200


def test_unknown_category_is_explained_and_the_rest_of_the_search_kept(client, catalogue):
    response = client.get("/en/services/", {"category": "no-such-category", "q": "lawyer"})
    html = response.content.decode()
    assert "was left out" in html
    assert [s.slug for s in response.context["page"].object_list] == ["consultation-avocat"]


def test_overlong_search_is_explained(client, catalogue):
    html = client.get("/en/services/", {"q": "x" * 5000}).content.decode()
    assert "at most 200 characters" in html


def test_page_beyond_the_last_shows_the_last_page_and_says_so(client, catalogue):
    html = client.get("/en/services/", {"page": "99999"}).content.decode()
    assert "fewer pages than that" in html


@pytest.mark.parametrize("q", ["", "avocat"])
@pytest.mark.parametrize("page", ["99999", "9" * 25, "1000001"])
def test_huge_page_numbers_show_the_last_page_with_or_without_a_search(client, catalogue, q, page):
    response = client.get("/en/services/", {"q": q, "page": page})
    assert response.status_code == 200
    assert "fewer pages than that" in response.content.decode()
    assert response.context["page"].number == 1


def test_page_that_is_not_a_number_shows_the_first_page_and_says_so(client, catalogue):
    html = client.get("/en/services/", {"page": "abc"}).content.decode()
    assert "not valid" in html


def test_repeated_parameters_do_not_break_the_list(client, catalogue):
    response = client.get("/fr/services/?category=health&category=legal-aid&page=1&page=2")
    assert response.status_code == 200


@pytest.mark.parametrize("slug", ["no-such-service", "x" * 300, "%00"])
def test_unknown_service_answers_404(client, catalogue, slug):
    assert client.get(f"/fr/services/{slug}/").status_code == 404


def test_post_to_the_catalogue_is_refused(client, catalogue):
    assert client.post("/fr/services/", {"q": "avocat"}).status_code == 405
