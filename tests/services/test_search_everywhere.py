"""The same search in the staff's "refer" picker and in the HSDS API's ``search``:
the same words, vocabulary, corrections, stop words and fallback as the catalogue."""

import pytest


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


def picked(desk_client, language: str, query: str):
    response = desk_client.get(f"/{language}/desk/refer/", {"q": query})
    assert response.status_code == 200
    return response, [service.slug for service in response.context["page"].object_list]


def api(client, query: str) -> list[str]:
    response = client.get("/api/hsds/services", {"search": query})
    assert response.status_code == 200
    return [item["name"] for item in response.json()["contents"]]


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fr", "docteur", "consultation-medecin"),  # vocabulary
        ("ar", "دكتور", "consultation-medecin"),
        ("es", "abogdo", "consultation-avocat"),  # correction
        ("en", "m7ami", "consultation-avocat"),  # Darija in Latin script
    ],
)
def test_the_refer_picker_finds_everyday_words_and_typos(
    desk_client, catalogue, language, query, expected
):
    _response, found = picked(desk_client, language, query)
    assert expected in found


@pytest.mark.parametrize(
    ("language", "query", "heading"),
    [
        ("fr", "avocat nuit", "Services correspondant à une partie de vos mots"),
        ("ar", "محامي ليلي", "خدمات تطابق بعض كلماتك"),
    ],
)
def test_the_refer_picker_falls_back_to_some_words(
    desk_client, catalogue, language, query, heading
):
    response, found = picked(desk_client, language, query)
    assert set(found) == {"consultation-avocat", "abri-de-nuit"}
    assert heading in response.content.decode()


def test_the_refer_picker_says_what_it_corrected(desk_client, catalogue):
    response, _found = picked(desk_client, "en", "avoact")
    assert "Showing results for “avocat”." in response.content.decode()


def test_the_refer_picker_explains_a_query_of_stop_words(desk_client, catalogue):
    response, found = picked(desk_client, "fr", "de la")
    assert found == []
    assert "aucun mot que nous puissions chercher" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("docteur", "Consultation chez un médecin généraliste"),
        ("سبيطار", "Consultation chez un médecin généraliste"),
        ("avoact", "Consultation gratuite avec un avocat"),
        ("tbib", "Consultation chez un médecin généraliste"),
    ],
)
def test_the_api_search_uses_the_vocabulary_and_corrections(client, catalogue, query, expected):
    assert expected in api(client, query)


def test_the_api_search_falls_back_to_some_words(client, catalogue):
    assert set(api(client, "avocat nuit")) == {
        "Consultation gratuite avec un avocat",
        "Abri de nuit",
    }


def test_the_api_search_ranks_every_word_first(client, catalogue):
    found = api(client, "consultation avocat")
    assert found[0] == "Consultation gratuite avec un avocat"
    assert "Consultation chez un médecin généraliste" in found[1:]


@pytest.mark.parametrize("query", ["de la", "-", "🙂🙂", "1234", '"', "a" * 200])
def test_the_api_search_answers_a_query_without_words_with_an_empty_list(client, catalogue, query):
    assert api(client, query) == []
