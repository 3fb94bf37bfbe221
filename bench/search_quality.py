"""Search quality benchmark: `make bench`.

Loads the demo catalogue into a scratch database (guichet_bench_search) and runs the
queries below through the catalogue's search, as the list page ranks them (every word
first, then some words). Each query is written as a person types it — lower case,
accents missing, typos, everyday words, Darija in both scripts, a word of one language
on another language's site — with what a helpful answer must contain in its first five
results: a service of one of the categories listed, or a service named "service:slug".

Prints success@5 and the share of queries with no result, per language of the query
(fr, es, en, ar, and ary for Darija). Targets: success@5 of at least 95 % in each
language; no query without a result (every query here has a meaningful word).
"""

import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

TARGET = 0.95
TOP = 5

# (query as typed, language of the query, site language, what must be in the top five)
QUERIES = [
    # --- French ---------------------------------------------------------------------
    ("medecin", "fr", "fr", {"health"}),
    ("docteur", "fr", "fr", {"health"}),
    ("docter", "fr", "fr", {"health"}),
    ("hopital", "fr", "fr", {"health"}),
    ("je suis malade", "fr", "fr", {"health"}),
    ("femme enceinte", "fr", "fr", {"health"}),
    ("vaccin bebe", "fr", "fr", {"health"}),
    ("medicaments", "fr", "fr", {"health"}),
    ("avocat", "fr", "fr", {"legal-aid"}),
    ("avoact gratuit", "fr", "fr", {"legal-aid"}),
    ("titre de sejour", "fr", "fr", {"legal-aid"}),
    ("papiers", "fr", "fr", {"legal-aid"}),
    ("demande d'asile", "fr", "fr", {"legal-aid"}),
    ("acte de naissance", "fr", "fr", {"legal-aid"}),
    ("faim", "fr", "fr", {"food"}),
    ("manger", "fr", "fr", {"food"}),
    ("colis alimentaire", "fr", "fr", {"food"}),
    ("douche", "fr", "fr", {"food"}),
    ("dormir ce soir", "fr", "fr", {"housing"}),
    ("herbergement", "fr", "fr", {"housing"}),
    ("loyer", "fr", "fr", {"housing"}),
    ("travail", "fr", "fr", {"employment"}),
    ("trouver un boulot", "fr", "fr", {"employment"}),
    ("faire mon cv", "fr", "fr", {"employment"}),
    ("apprendre le français", "fr", "fr", {"language-classes"}),
    ("cours de francais", "fr", "fr", {"language-classes"}),
    ("ecole pour mon fils", "fr", "fr", {"education"}),
    ("aide aux devoirs", "fr", "fr", {"education"}),
    ("violence conjugale", "fr", "fr", {"women-protection"}),
    ("psychologue", "fr", "fr", {"psychosocial"}),
    ("traducteur", "fr", "fr", {"orientation"}),
    ("rentrer au pays", "fr", "fr", {"orientation"}),
    ("avocat", "fr", "ar", {"legal-aid"}),  # a French word on the Arabic site
    # --- Spanish --------------------------------------------------------------------
    ("medico", "es", "es", {"health"}),
    ("estoy enfermo", "es", "es", {"health"}),
    ("embarazada", "es", "es", {"health"}),
    ("vacunas niños", "es", "es", {"health"}),
    ("abogado", "es", "es", {"legal-aid"}),
    ("abogdo", "es", "es", {"legal-aid"}),
    ("papeles", "es", "es", {"legal-aid"}),
    ("permiso de residencia", "es", "es", {"legal-aid"}),
    ("asilo", "es", "es", {"legal-aid"}),
    ("hambre", "es", "es", {"food"}),
    ("comida gratis", "es", "es", {"food"}),
    ("ropa", "es", "es", {"food"}),
    ("donde dormir", "es", "es", {"housing"}),
    ("alquiler", "es", "es", {"housing"}),
    ("trabajo", "es", "es", {"employment"}),
    ("buscar empleo", "es", "es", {"employment"}),
    ("aprender frances", "es", "es", {"language-classes"}),
    ("colegio", "es", "es", {"education"}),
    ("violencia de genero", "es", "es", {"women-protection"}),
    ("psicologo", "es", "es", {"psychosocial"}),
    ("medico", "es", "fr", {"health"}),  # a Spanish word on the French site
    # --- English --------------------------------------------------------------------
    ("doctor", "en", "en", {"health"}),
    ("i am sick", "en", "en", {"health"}),
    ("pregnant", "en", "en", {"health"}),
    ("medicine", "en", "en", {"health"}),
    ("lawyer", "en", "en", {"legal-aid"}),
    ("lawer", "en", "en", {"legal-aid"}),
    ("residence permit", "en", "en", {"legal-aid"}),
    ("papers", "en", "en", {"legal-aid"}),
    ("asylum", "en", "en", {"legal-aid"}),
    ("food", "en", "en", {"food"}),
    ("hungry", "en", "en", {"food"}),
    ("free meal", "en", "en", {"food"}),
    ("clothes", "en", "en", {"food"}),
    ("place to sleep", "en", "en", {"housing"}),
    ("homeless", "en", "en", {"housing"}),
    ("rent", "en", "en", {"housing"}),
    ("job", "en", "en", {"employment"}),
    ("learn french", "en", "en", {"language-classes"}),
    ("school", "en", "en", {"education"}),
    ("domestic violence", "en", "en", {"women-protection"}),
    ("psychologist", "en", "en", {"psychosocial"}),
    ("lawyer", "en", "es", {"legal-aid"}),  # an English word on the Spanish site
    # --- Arabic ---------------------------------------------------------------------
    ("طبيب", "ar", "ar", {"health"}),
    ("دكتور", "ar", "ar", {"health"}),
    ("مستشفى", "ar", "ar", {"health"}),
    ("امرأة حامل", "ar", "ar", {"health"}),
    ("تلقيح الاطفال", "ar", "ar", {"health"}),
    ("دواء", "ar", "ar", {"health"}),
    ("محامي", "ar", "ar", {"legal-aid"}),
    ("محامي مجاني", "ar", "ar", {"legal-aid"}),
    ("أوراق", "ar", "ar", {"legal-aid"}),
    ("بطاقة الاقامة", "ar", "ar", {"legal-aid"}),
    ("لجوء", "ar", "ar", {"legal-aid"}),
    ("طعام", "ar", "ar", {"food"}),
    ("طعام مجاني", "ar", "ar", {"food"}),
    ("ملابس", "ar", "ar", {"food"}),
    ("مبيت", "ar", "ar", {"housing"}),
    ("سكن", "ar", "ar", {"housing"}),
    ("عمل", "ar", "ar", {"employment"}),
    ("تعلم الفرنسية", "ar", "ar", {"language-classes"}),
    ("مدرسة", "ar", "ar", {"education"}),
    ("عنف ضد النساء", "ar", "ar", {"women-protection"}),
    ("اخصائي نفسي", "ar", "ar", {"psychosocial"}),
    ("طبيب", "ar", "en", {"health"}),  # an Arabic word on the English site
    # --- Moroccan Darija, both scripts ----------------------------------------------
    ("سبيطار", "ary", "ar", {"health"}),
    ("دوا", "ary", "ar", {"health"}),
    ("الماكلة", "ary", "ar", {"food"}),
    ("بغيت الماكلة", "ary", "ar", {"food"}),
    ("الكرا", "ary", "ar", {"housing"}),
    ("الخدمة", "ary", "ar", {"employment"}),
    ("لوراق", "ary", "ar", {"legal-aid"}),
    ("فلوس", "ary", "ar", {"emergency"}),
    ("الدراري", "ary", "ar", {"children-families"}),
    ("tbib", "ary", "fr", {"health"}),
    ("sbitar", "ary", "fr", {"health"}),
    ("m7ami", "ary", "fr", {"legal-aid"}),
    ("mhami", "ary", "fr", {"legal-aid"}),
    ("khedma", "ary", "fr", {"employment"}),
    ("bghit khdma", "ary", "fr", {"employment"}),
    ("sakan", "ary", "fr", {"housing"}),
    ("lkra", "ary", "fr", {"housing"}),
    ("makla", "ary", "fr", {"food"}),
    ("3yada", "ary", "fr", {"health"}),
    ("lwra9", "ary", "fr", {"legal-aid"}),
    ("drari lmadrasa", "ary", "fr", {"education", "children-families"}),
]


def top_five(text: str) -> list[tuple[str, set[str]]]:
    from services.models import Service
    from services.search import search

    services, _fallback = search(Service.objects.active(), text).ranked(20)
    rows = services.prefetch_related("categories")[:TOP]
    return [(s.slug, {c.slug for c in s.categories.all()}) for s in rows]


def helpful(found: list[tuple[str, set[str]]], expected: set[str]) -> bool:
    return any(f"service:{slug}" in expected or categories & expected for slug, categories in found)


def main() -> int:
    from django.core.management import call_command
    from django.utils import translation

    from guichet import dbroles

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "guichet_bench_search"
    with dbroles.as_owner():  # creating and dropping databases is the owner's
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from services.demo import load_catalogue, read_catalogue

        load_catalogue(read_catalogue())
        call_command("check", verbosity=0)
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # total, success, empty
        misses = []
        for text, language, site, expected in QUERIES:
            with translation.override(site):
                found = top_five(text)
            counts = tally[language]
            counts[0] += 1
            if helpful(found, expected):
                counts[1] += 1
            else:
                misses.append(f"  [{language}] {text!r}: {[slug for slug, _ in found]}")
            if not found:
                counts[2] += 1
        print(f"\nSearch quality over the demo catalogue: {len(QUERIES)} queries")
        print(f"{'language':10} {'queries':>8} {'success@5':>10} {'no result':>10}")
        failed = []
        for language in ("fr", "es", "en", "ar", "ary"):
            total, success, empty = tally[language]
            rate, none = success / total, empty / total
            print(f"{language:10} {total:>8} {rate:>9.0%} {none:>9.0%}")
            if rate < TARGET:
                failed.append(f"{language}: success@5 {rate:.0%} < {TARGET:.0%}")
            if empty:
                failed.append(f"{language}: {empty} queries without a result")
        if misses:
            print("\nNot helpful in the first five:\n" + "\n".join(misses))
        if failed:
            print("\nTARGETS MISSED:\n  " + "\n  ".join(failed))
            return 1
        print("\nAll search quality targets met.")
        return 0
    finally:
        with dbroles.as_owner():
            connection.creation.destroy_test_db("guichet_bench_search", verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
