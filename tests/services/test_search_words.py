"""What a search looks for: every word first, then some words; stop words; phrases and
exclusions; typo corrections that only touch unknown words; the everyday vocabulary.

The catalogue fixture has three services: a lawyer (legal aid), a general doctor and a
night shelter (health). The vocabulary is the one the migrations seed.
"""

import pytest

from services.models import SearchTerm


def searched(client, language: str, query: str, **params):
    response = client.get(f"/{language}/services/", {"q": query, **params})
    assert response.status_code == 200
    return response


def slugs(response, part: str = "") -> list[str]:
    cards = response.context[f"{part}_cards" if part else "page"]
    cards = cards.object_list if not part else cards
    return [card.slug for card in cards]


# --- 1. Every word first, then some of the words --------------------------------------


@pytest.mark.parametrize(
    ("language", "query", "heading"),
    [
        ("fr", "avocat nuit", "Services correspondant à une partie de vos mots"),
        ("es", "abogado nocturno", "Servicios que coinciden con algunas de sus palabras"),
        ("en", "lawyer night", "Services matching some of your words"),
        ("ar", "محامي ليلي", "خدمات تطابق بعض كلماتك"),
    ],
)
def test_when_no_service_has_every_word_services_with_some_are_listed(
    client, catalogue, language, query, heading
):
    response = searched(client, language, query)
    assert set(slugs(response, "partial")) == {"consultation-avocat", "abri-de-nuit"}
    assert response.context["exact_cards"] == []
    assert heading in response.content.decode()


@pytest.mark.parametrize(
    ("language", "query", "heading"),
    [
        ("fr", "consultation avocat", "Services correspondant à une partie de vos mots"),
        ("es", "consulta abogado", "Servicios que coinciden con algunas de sus palabras"),
        ("en", "consultation lawyer", "Services matching some of your words"),
    ],
)
def test_services_with_every_word_come_first_then_a_line_announces_the_others(
    client, catalogue, language, query, heading
):
    response = searched(client, language, query)
    assert slugs(response, "exact") == ["consultation-avocat"]
    assert "consultation-medecin" in slugs(response, "partial")
    html = response.content.decode()
    assert (
        html.index("consultation-avocat") < html.index(heading) < html.index("consultation-medecin")
    )


def test_a_full_page_of_services_with_every_word_is_not_completed(client, catalogue):
    from tests import factories

    for number in range(20):
        factories.service(
            name={"fr": f"Consultation avocat {number}", "en": "x", "es": "x", "ar": "x"},
            categories=[catalogue["categories"]["legal"]],
        )
    response = searched(client, "fr", "consultation avocat")
    assert response.context["partial_cards"] == []
    assert response.context["page"].paginator.count == 21


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("fr", "un avocat pour le séjour de la famille"),
        ("es", "un abogado para la residencia de los"),
        ("en", "a lawyer for the residence of the"),
        ("ar", "محامي في الإقامة من أجل"),
    ],
)
def test_stop_words_never_decide_a_match(client, catalogue, language, query):
    response = searched(client, language, query)
    assert [g.text for g in response.context["plan"].groups][:2] != []
    assert slugs(response) == ["consultation-avocat"]


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("fr", "de la le"),
        ("es", "de los las"),
        ("en", "the of and"),
        ("ar", "في من على"),
    ],
)
def test_a_query_of_stop_words_only_says_it_has_nothing_to_search_for(
    client, catalogue, language, query
):
    response = searched(client, language, query)
    assert not response.context["plan"].searchable
    assert response.context["page"].paginator.count == 0
    assert 'class="message warning"' in response.content.decode()


def test_a_quoted_phrase_keeps_its_words_together(client, catalogue):
    assert slugs(searched(client, "fr", '"médecin généraliste"')) == ["consultation-medecin"]
    assert slugs(searched(client, "fr", '"généraliste médecin"')) == []


def test_an_excluded_word_removes_the_services_that_have_it(client, catalogue):
    found = slugs(searched(client, "fr", "consultation -avocat"))
    assert "consultation-avocat" not in found and "consultation-medecin" in found


# --- 2. Typo corrections: unknown words only ------------------------------------------


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("fr", "avocats"),
        ("es", "abogados"),
        ("en", "lawyers"),
        ("ar", "المحامين"),
        ("fr", "faim"),  # in the vocabulary, not in the catalogue
        ("es", "hambre"),
        ("en", "hungry"),
        ("ar", "طعام"),
    ],
)
def test_a_word_the_catalogue_or_the_vocabulary_knows_is_never_corrected(
    client, catalogue, language, query
):
    assert searched(client, language, query).context["plan"].corrections == []


@pytest.mark.parametrize(
    ("language", "typed", "corrected"),
    [
        ("fr", "avoact", "avocat"),  # two letters swapped
        ("es", "abogdo", "abogado"),  # a letter missing
        ("en", "lawer", "lawyer"),  # a letter missing, though "law" is a French stem
        ("fr", "meddecin", "medecin"),  # a letter too many
        ("ar", "محاني", "محامي"),  # a wrong letter
    ],
)
def test_an_unknown_word_is_corrected_to_the_nearest_known_word(
    client, catalogue, language, typed, corrected
):
    response = searched(client, language, typed)
    corrections = response.context["plan"].corrections
    assert [(c.typed, c.corrected) for c in corrections] == [(typed, corrected)]
    assert response.context["page"].paginator.count > 0


def test_a_word_of_three_letters_is_not_corrected(client, catalogue):
    assert searched(client, "fr", "avc").context["plan"].corrections == []


def test_the_page_says_what_it_searched_for_and_links_to_the_words_as_typed(client, catalogue):
    html = searched(client, "en", "avoact").content.decode()
    assert "Showing results for “" in html
    assert "<mark>avocat</mark></a>" in html
    assert "Search for “avoact” instead" in html
    assert "?q=avoact&amp;exact=1" in html


def test_the_words_as_typed_are_searched_without_correction(client, catalogue):
    response = searched(client, "fr", "avoact", exact="1")
    assert response.context["plan"].corrections == []
    assert response.context["page"].paginator.count == 0


def test_a_correction_keeps_the_filters(client, catalogue):
    html = searched(client, "fr", "avoact", category="legal-aid").content.decode()
    assert "category=legal-aid&amp;q=avoact&amp;exact=1" in html


# --- 3. The everyday vocabulary ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fr", "docteur", "consultation-medecin"),
        ("es", "enfermo", "consultation-medecin"),
        ("en", "attorney", "consultation-avocat"),
        ("ar", "دكتور", "consultation-medecin"),
        ("ar", "سبيطار", "consultation-medecin"),  # Darija, Arabic script
        ("fr", "tbib", "consultation-medecin"),  # Darija, Latin script
        ("en", "m7ami", "consultation-avocat"),  # 7 for ح
        ("fr", "papiers", "consultation-avocat"),
        ("ar", "أوراق", "consultation-avocat"),
        ("es", "papeles", "consultation-avocat"),
        ("en", "papers", "consultation-avocat"),
    ],
)
def test_an_everyday_word_finds_what_it_means_only_through_the_vocabulary(
    client, catalogue, language, query, expected
):
    response = searched(client, language, query)
    assert response.context["plan"].groups[0].meaning  # found through the vocabulary
    assert response.context["plan"].corrections == []
    assert expected in slugs(response)


def test_a_vocabulary_phrase_is_read_as_one_term(client, catalogue):
    response = searched(client, "fr", "titre de séjour")
    assert [g.meaning for g in response.context["plan"].groups] == ["titre de sejour"]
    assert slugs(response)[0] == "consultation-avocat"


def test_a_new_term_works_at_once_without_reindexing(client, catalogue):
    assert slugs(searched(client, "fr", "kwmbx")) == []
    SearchTerm.objects.create(term="kwmbx", language="ary", words=["avocat"])
    assert slugs(searched(client, "fr", "kwmbx")) == ["consultation-avocat"]


def test_a_term_meaning_a_category_finds_its_services(client, catalogue):
    SearchTerm.objects.create(term="qanun", language="ary", categories=["legal-aid"])
    assert slugs(searched(client, "ar", "qanun")) == ["consultation-avocat"]


@pytest.mark.parametrize(
    "query",
    ["-", "?!.,;:", "1234 56", "🙂🚑🙂", "a" * 200, "de le -", '"', '""', "- - -", "\u200f\u200e"],
)
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_query_without_a_word_to_search_gets_a_clear_message(client, catalogue, language, query):
    response = searched(client, language, query)
    assert response.context["page"].paginator.count == 0
    assert 'class="message warning"' in response.content.decode()


@pytest.mark.parametrize("query", ["abcمحامي", "محاميavocat", "m7ami سبيطار tbib"])
def test_mixed_scripts_do_not_fail(client, catalogue, query):
    assert searched(client, "ar", query).status_code == 200
