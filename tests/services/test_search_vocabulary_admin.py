"""The search vocabulary in the admin: list, search, add with its rules, CSV in and out."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from services.models import SearchTerm

URL = "/admin/services/searchterm/"


@pytest.fixture
def admin_client(client, municipal_admin):
    client.force_login(municipal_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_migrations_seed_at_least_150_hand_written_entries_in_five_languages(db):
    assert SearchTerm.objects.count() >= 150
    for language in ("fr", "es", "en", "ar", "ary"):
        assert SearchTerm.objects.filter(language=language).count() >= 20, language
    latin_darija = SearchTerm.objects.filter(language="ary", term__regex=r"^[a-z0-9 ]+$")
    assert latin_darija.filter(term__regex=r"[379]").exists()  # 7 = ح, 3 = ع, 9 = ق


def test_the_list_opens_and_searches(admin_client):
    response = admin_client.get(URL, {"q": "tbib"})
    assert response.status_code == 200
    assert "tbib" in response.content.decode()


def add(admin_client, **fields):
    data = {"term": "", "language": "any", "words": "", "note": "", **fields}
    return admin_client.post(f"{URL}add/", data)


def test_an_entry_is_added_and_searched_at_once(admin_client, catalogue):
    response = add(
        admin_client, term="tbiba", language="ary", words="médecin", categories=["health"]
    )
    assert response.status_code == 302
    found = admin_client.get("/fr/services/", {"q": "tbiba"}).context["page"].object_list
    assert "consultation-medecin" in [card.slug for card in found]


def test_an_entry_that_would_loop_is_refused(admin_client, catalogue):
    SearchTerm.objects.create(term="sbitar2", language="ary", words=["mostachfa"])
    response = add(admin_client, term="mostachfa", words="sbitar2")
    assert response.status_code == 200
    assert "already means" in response.content.decode()
    assert not SearchTerm.objects.filter(term="mostachfa").exists()


def test_an_entry_meaning_too_many_words_is_refused(admin_client, catalogue):
    response = add(admin_client, term="tout", words=", ".join(f"mot{i}" for i in range(40)))
    assert "would flood every search" in response.content.decode()


def test_an_entry_meaning_nothing_or_itself_is_refused(admin_client, catalogue):
    assert "at least one catalogue word" in add(admin_client, term="rien").content.decode()
    assert (
        "cannot mean itself"
        in add(admin_client, term="Écrivain", words="ecrivain").content.decode()
    )


def test_a_duplicate_entry_is_refused(admin_client, catalogue):
    response = add(admin_client, term="Docteur", language="fr", words="médecin")
    assert "already exists in this language" in response.content.decode()


def test_the_whole_vocabulary_exports_as_csv(admin_client):
    response = admin_client.get(f"{URL}export/")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == SearchTerm.objects.count()
    assert {"term": "m7ami", "language": "ary"}.items() <= next(
        r for r in rows if r["term"] == "m7ami"
    ).items()


def upload(admin_client, text: str):
    file = SimpleUploadedFile("terms.csv", text.encode("utf-8-sig"), content_type="text/csv")
    return admin_client.post(f"{URL}import/", {"file": file}, follow=True)


def test_an_import_adds_and_updates_and_reports_the_rows_it_refuses(admin_client, catalogue):
    text = (
        "term,language,words,categories,note\n"
        "khouya,ary,frère,,\n"
        'm7ami,ary,"avocat, conseil juridique",legal-aid,\n'
        "vide,fr,,,\n"
        "inconnu,fr,mot,no-such-category,\n"
    )
    response = upload(admin_client, text)
    html = response.content.decode()
    assert SearchTerm.objects.get(term="khouya").words == ["frère"]
    assert SearchTerm.objects.get(term="m7ami").words == ["avocat", "conseil juridique"]
    assert "Line 4" in html and "Line 5" in html
    assert not SearchTerm.objects.filter(term__in=["vide", "inconnu"]).exists()


def test_an_exported_file_imports_back_unchanged(admin_client):
    before = sorted(SearchTerm.objects.values_list("term", "language", "words", "categories"))
    exported = admin_client.get(f"{URL}export/").content.decode()
    upload(admin_client, exported)
    after = sorted(SearchTerm.objects.values_list("term", "language", "words", "categories"))
    assert after == before


def test_a_file_that_is_not_csv_text_is_refused(admin_client):
    file = SimpleUploadedFile("terms.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    response = admin_client.post(f"{URL}import/", {"file": file})
    assert "not UTF-8 text" in response.content.decode()


def test_desk_staff_cannot_import_or_export(client, desk_user):
    client.force_login(desk_user)
    assert client.get(f"{URL}export/").status_code == 302  # to the admin login
    assert client.post(f"{URL}import/").status_code == 302
