"""The normalisation, tested in SQL: guichet_normalize strips accents, Arabic
diacritics, hamza forms and tatweel, whatever text search configuration reads it.

The search tests cannot show it on their own: the typo corrector would rescue an
unaccented word and the Arabic stemmer strips diacritics by itself. Here nothing
else runs."""

import pytest
from django.db import connection


def sql(query: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Médecin", "medecin"),
        ("HÉBERGEMENT à Tánger", "hebergement a tanger"),
        ("niño, ÇA, Über", "nino, ca, uber"),
        ("مُحَامِي", "محامي"),  # harakat
        ("أسئلة", "اسيله"),  # hamza above the alif and on yaa; taa marbuta
        ("إقامة", "اقامه"),  # hamza below the alif
        ("آمن", "امن"),  # madda
        ("مؤسسة", "موسسه"),  # hamza on waw
        ("مستشفى", "مستشفي"),  # alif maqsura
        ("محـــامي", "محامي"),  # tatweel
    ],
)
def test_guichet_normalize(db, written, normalised):
    assert sql("SELECT guichet_normalize(%s)", written) == normalised


@pytest.mark.parametrize(
    ("config", "written", "searched"),
    [
        ("french", "Hébergement d'urgence", "hebergement"),
        ("spanish", "Albergue nocturno para niños", "ninos"),
        ("simple", "مُحَامِي", "محامي"),  # no stemmer to strip the diacritics
        ("simple", "محـــامي", "محامي"),
    ],
)
def test_a_normalised_text_matches_the_plain_word_in_any_configuration(
    db, config, written, searched
):
    assert sql(
        "SELECT to_tsvector(%s::regconfig, guichet_normalize(%s)) @@ plainto_tsquery(%s::regconfig, %s)",
        config,
        written,
        config,
        searched,
    )


def test_a_word_without_its_accents_finds_the_service_with_no_correction(client, catalogue):
    """Only the normalisation can find it: the words are searched as typed."""
    response = client.get("/fr/services/", {"q": "medecin generaliste", "exact": "1"})
    assert response.context["plan"].corrections == []
    assert [c.slug for c in response.context["page"].object_list] == ["consultation-medecin"]


def test_an_arabic_word_with_diacritics_and_tatweel_finds_the_service_with_no_correction(
    client, catalogue
):
    response = client.get("/ar/services/", {"q": "مُحـــَامِي", "exact": "1"})
    assert [c.slug for c in response.context["page"].object_list] == ["consultation-avocat"]
