"""Full-text search in the visitor's language, accent- and typo-tolerant, across languages."""

import pytest


def found(client, language: str, query: str) -> list[str]:
    response = client.get(f"/{language}/services/", {"q": query})
    assert response.status_code == 200
    return [service.slug for service in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("fr", "avocat"),
        ("fr", "avocats"),
        ("es", "abogado"),
        ("en", "lawyer"),
        ("ar", "محامي"),
        ("ar", "المحامي"),
        ("ar", "محامون"),
    ],
)
def test_a_word_for_lawyer_finds_legal_aid_in_each_language(client, catalogue, language, query):
    assert found(client, language, query) == ["consultation-avocat"]


def test_search_ignores_accents(client, catalogue):
    assert found(client, "fr", "medecin") == ["consultation-medecin"]


def test_search_ignores_arabic_diacritics(client, catalogue):
    assert found(client, "ar", "مُحَامِي") == ["consultation-avocat"]


def test_search_ignores_arabic_hamza_forms(client, catalogue):
    # اسئلة written without hamza still finds أسئلة.
    assert found(client, "ar", "اسئلتك") == ["consultation-avocat"]


@pytest.mark.parametrize(
    ("language", "query"), [("fr", "avocta"), ("en", "lawer"), ("fr", "mdecin")]
)
def test_search_forgives_small_typos(client, catalogue, language, query):
    assert found(client, language, query) != []


def test_a_word_in_another_language_still_finds_the_service(client, catalogue):
    assert found(client, "ar", "avocat") == ["consultation-avocat"]


def test_category_names_are_searchable(client, catalogue):
    assert "consultation-avocat" in found(client, "es", "jurídica")


def test_association_names_are_searchable(client, catalogue):
    assert set(found(client, "en", "solidarity")) == {"consultation-medecin", "abri-de-nuit"}


def test_an_unrelated_word_finds_nothing(client, catalogue):
    assert found(client, "fr", "boulangerie") == []


def test_search_with_query_syntax_does_not_fail(client, catalogue):
    assert found(client, "fr", '"avocat" -médecin OR (&|!:*') is not None


def test_better_matches_come_first(client, catalogue):
    results = found(client, "fr", "consultation médecin")
    assert results[0] == "consultation-medecin"


def test_a_correct_word_is_not_corrected(client, catalogue):
    response = client.get("/en/services/", {"q": "avocat"})
    assert response.context["plan"].corrections == []


def test_a_correction_keeps_the_rest_of_the_query(client, catalogue):
    response = client.get("/fr/services/", {"q": 'avocta -"sans rendez-vous"'})
    assert response.context["plan"].corrected_text == 'avocat -"sans rendez-vous"'
