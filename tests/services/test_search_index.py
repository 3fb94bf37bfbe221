"""The search index follows every write, whatever makes it: PostgreSQL's triggers keep
each service's vector and the typo lexicon (services/search/schema.py)."""

import pytest
from django.db import connection

from services.models import Category, SearchWord, Service
from tests import factories


def matches(slug: str, word: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ guichet_tsquery(%s) FROM services_service WHERE slug = %s",
            [word, slug],
        )
        return cursor.fetchone()[0]


def test_a_service_created_through_the_orm_is_indexed_at_once(catalogue):
    factories.service(slug="cours-couture", name={"fr": "Atelier de couture"})
    assert matches("cours-couture", "couture")


def test_a_service_written_in_raw_sql_is_indexed_too(catalogue):
    association = catalogue["associations"]["rights"]
    columns = {
        f"{f}_{c}": ""
        for f in ("name", "summary", "description", "eligibility", "required_documents", "fees")
        for c in ("ar", "fr", "es", "en")
    }
    columns |= {
        "name_es": "Taller de cerámica",
        "name": "x",
        "summary": "",
        "description": "",
        "eligibility": "",
        "required_documents": "",
        "fees": "",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO services_service (uuid, site_uuid, association_id, slug, is_free, access, "  # noqa: S608 (constant names)
            f"no_id_needed, any_status_accepted, phone, email, whatsapp, status, created_at, "
            f"updated_at, {', '.join(columns)}) VALUES (gen_random_uuid(), gen_random_uuid(), %s, "
            f"'ceramica', true, 'walk_in', false, false, '', '', '', 'active', now(), now(), "
            f"{', '.join(['%s'] * len(columns))})",
            [association.pk, *columns.values()],
        )
    assert matches("ceramica", "cerámica")


def test_editing_a_text_reindexes_the_service(catalogue):
    Service.objects.filter(slug="abri-de-nuit").update(summary_en="Beds and blankets")
    assert matches("abri-de-nuit", "blankets")


def test_a_vector_written_by_hand_is_recomputed(catalogue):
    Service.objects.filter(slug="abri-de-nuit").update(search_vector=None)
    assert matches("abri-de-nuit", "shelter")


def test_adding_and_removing_a_category_reindexes_the_service(catalogue):
    shelter = catalogue["services"]["shelter"]
    shelter.categories.add(catalogue["categories"]["legal"])
    assert matches("abri-de-nuit", "juridique")
    shelter.categories.remove(catalogue["categories"]["legal"])
    assert not matches("abri-de-nuit", "juridique")


def test_renaming_a_category_reindexes_its_services(catalogue):
    Category.objects.filter(slug="legal-aid").update(name_fr="Droits et démarches")
    assert matches("consultation-avocat", "démarches")
    assert not matches("consultation-medecin", "démarches")


def test_renaming_an_association_reindexes_its_services(catalogue):
    association = catalogue["associations"]["care"]
    association.name_en = "Harbour Clinic"
    association.save()
    assert matches("consultation-medecin", "harbour")
    assert matches("abri-de-nuit", "harbour")


def test_the_lexicon_learns_the_words_of_a_changed_text(catalogue):
    Service.objects.filter(slug="abri-de-nuit").update(description_fr="Couvertures chaudes")
    assert SearchWord.objects.filter(word="couvertures").exists()


def test_a_new_word_can_be_corrected_to_at_once(client, catalogue):
    Service.objects.filter(slug="abri-de-nuit").update(description_fr="Couvertures chaudes")
    response = client.get("/fr/services/", {"q": "couvretures"})
    assert [c.corrected for c in response.context["plan"].corrections] == ["couvertures"]


@pytest.mark.parametrize("lexeme", ["category:health"])
def test_each_category_is_in_the_vector_by_its_slug(catalogue, lexeme):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ %s::tsquery FROM services_service WHERE slug = 'abri-de-nuit'",
            [f"'{lexeme}'"],
        )
        assert cursor.fetchone()[0]


def test_no_python_code_rebuilds_a_vector():
    """One mechanism: the vector's SQL lives in services/search/schema.py (and in the
    migrations' frozen copies), and no application code writes the column."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = [
        path
        for folder in ("services", "associations", "referrals", "guichet")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "schema.py"
        and ("SET search_vector" in path.read_text() or "setweight(" in path.read_text())
    ]
    assert writers == []


def test_a_name_match_ranks_above_a_description_match(catalogue):
    from services.search import search

    factories.service(slug="b-named", name={"fr": "Permanence couture"})
    factories.service(slug="a-described", description={"fr": "On y apprend la couture"})
    found = list(
        search(Service.objects.active(), "couture").all_words.values_list("slug", flat=True)
    )
    assert found.index("b-named") < found.index("a-described")
