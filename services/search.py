"""Full-text search of the catalogue, in the four languages, accent- and typo-tolerant.

Each service carries ``search_vector``: its texts in each language, each run through
that language's PostgreSQL text search configuration (arabic, french, spanish,
english) after ``guichet_normalize`` strips accents and Arabic diacritics. A query is
parsed in all four configurations and the four are OR-ed (``guichet_tsquery``), so a
word typed in any of the languages finds the service whatever the interface
language. One GIN index serves the whole search.

Typos: every word of the catalogue is kept, normalised, in a lexicon (``SearchWord``)
with a trigram index. Each query word is looked up there (one query for all words);
a word the catalogue does not contain is replaced by the nearest word it does
contain when they are similar enough (pg_trgm similarity), and the corrected query is
searched alongside the original one.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, QuerySet, TextField

LANGUAGE_CONFIGS = {"ar": "arabic", "fr": "french", "es": "spanish", "en": "english"}
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8  # words of a query looked up for typos
MIN_TYPO_LENGTH = 4  # shorter words are too ambiguous to correct
MAX_WORD_LENGTH = 60

# Applied by a migration; NFKD splits letters from their accents and Arabic letters
# from their diacritics (hamza forms included), which the regexp then drops.
NORMALIZE_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_normalize(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT lower(translate(
        regexp_replace(
            normalize(value, NFKD),
            '[\u0300-\u036f\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]',
            '',
            'g'
        ),
        'ىة',
        'يه'
    ))
$$;
"""

# Applied by a migration. The four parses of a query are OR-ed, each once: a word that
# every language parses alike would otherwise appear four times, and PostgreSQL's
# planner would take it for four times as common and scan the whole table.
TSQUERY_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_tsquery(value text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(DISTINCT '(' || q::text || ')', ' | '), '')::tsquery
      FROM unnest(ARRAY[
            websearch_to_tsquery('arabic', guichet_normalize(value)),
            websearch_to_tsquery('french', guichet_normalize(value)),
            websearch_to_tsquery('spanish', guichet_normalize(value)),
            websearch_to_tsquery('english', guichet_normalize(value))
      ]) AS q
     WHERE q::text <> ''
$$;
"""

TEXT_FIELDS = {
    "A": ["s.name"],
    "B": ["s.summary", "c.names", "a.name"],
    "C": ["s.description", "s.eligibility", "s.required_documents"],
}


class Normalize(Func):
    function = "guichet_normalize"
    output_field = TextField()


def _columns(lang: str, fields: list[str]) -> str:
    return ", ".join(f"{field}_{lang}" for field in fields)


def _vector_sql() -> str:
    vectors = []
    for lang, config in LANGUAGE_CONFIGS.items():
        for weight, fields in TEXT_FIELDS.items():
            vectors.append(
                f"setweight(to_tsvector('{config}', guichet_normalize("
                f"concat_ws(' ', {_columns(lang, fields)}))), '{weight}')"
            )
    return " || ".join(vectors)


def _all_text_sql() -> str:
    columns = [
        _columns(lang, fields) for lang in LANGUAGE_CONFIGS for fields in TEXT_FIELDS.values()
    ]
    return f"guichet_normalize(concat_ws(' ', {', '.join(columns)}))"


def _selection_sql(service_ids: list[int] | None) -> tuple[str, str, list]:
    """Return the FROM clause shared by both statements, its WHERE and parameters."""
    names = ", ".join(
        f"string_agg(cat.name_{lang}, ' ') AS names_{lang}" for lang in LANGUAGE_CONFIGS
    )
    only = "WHERE s2.id = ANY(%s)" if service_ids is not None else ""
    source = f"""
        associations_association AS a,
        (SELECT s2.id AS service_id, {names}
           FROM services_service AS s2
           LEFT JOIN services_service_categories AS link ON link.service_id = s2.id
           LEFT JOIN services_category AS cat ON cat.id = link.category_id
           {only}
          GROUP BY s2.id) AS c
    """
    where = "a.id = s.association_id AND c.service_id = s.id"
    return source, where, ([service_ids] if service_ids is not None else [])


def refresh_search_index(service_ids: Iterable[int] | None = None, lexicon: bool = True) -> int:
    """Rebuild the search vectors and lexicon of the given services, or of all.

    Two statements whatever the number of services; returns how many were indexed.
    ``lexicon=False`` leaves the lexicon alone, for a caller that knows every word the
    services use and gives them to ``add_words`` (the benchmark generator).
    """
    ids = list(service_ids) if service_ids is not None else None
    if ids == []:
        return 0
    source, where, params = _selection_sql(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE services_service AS s SET search_vector = {_vector_sql()} "
            f"FROM {source} WHERE {where}",
            params,
        )
        count = cursor.rowcount
        if not lexicon:
            return count
        cursor.execute(
            f"""
            INSERT INTO services_searchword (word)
            SELECT DISTINCT word
              FROM services_service AS s, {source},
                   unnest(tsvector_to_array(to_tsvector('simple', {_all_text_sql()}))) AS word
             WHERE {where} AND char_length(word) BETWEEN {MIN_TYPO_LENGTH} AND {MAX_WORD_LENGTH}
            ON CONFLICT DO NOTHING
            """,
            params,
        )
    return count


def add_words(words: Iterable[str]) -> None:
    """Add ``words`` (as written; normalised here) to the typo lexicon."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO services_searchword (word)
            SELECT DISTINCT guichet_normalize(word) FROM unnest(%s::text[]) AS word
             WHERE char_length(word) BETWEEN {MIN_TYPO_LENGTH} AND {MAX_WORD_LENGTH}
            ON CONFLICT DO NOTHING
            """,
            [sorted({word.lower() for word in words})],
        )


def corrected(text: str) -> str:
    """Return ``text`` with each word the catalogue does not know replaced, in place, by
    the nearest known word when one is similar enough; ``""`` when nothing changed.

    Operators, quotes and the other words stay as they were. One query for all words.
    """
    words = re.findall(r"\w+", text.lower())
    candidates = list(
        dict.fromkeys(w for w in words if MIN_TYPO_LENGTH <= len(w) <= MAX_WORD_LENGTH)
    )[:MAX_WORDS]
    if not candidates:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT term.value, best.word, similarity(best.word, guichet_normalize(term.value))
              FROM unnest(%s::text[]) AS term(value)
              CROSS JOIN LATERAL (
                    SELECT word FROM services_searchword
                     ORDER BY word <-> guichet_normalize(term.value) LIMIT 1
              ) AS best
            """,
            [candidates],
        )
        threshold = settings.SEARCH_TYPO_THRESHOLD
        replacements = {
            term: word for term, word, score in cursor.fetchall() if threshold <= score < 1.0
        }
    if not replacements:
        return ""
    return re.sub(r"\w+", lambda m: replacements.get(m.group(0).lower(), m.group(0)), text)


class ParsedQuery(SearchQuery):
    """A visitor's query parsed in the four languages at once (``guichet_tsquery``).

    A SearchQuery, so that Django matches it with ``@@`` and combines two with ``|``.
    """

    def __init__(self, text: str):
        super().__init__(text)
        self.function = "guichet_tsquery"


def search(queryset: QuerySet, text: str) -> tuple[QuerySet, str]:
    """Filter ``queryset`` to the services matching ``text``, best first.

    Returns the queryset and the corrected query when typos were corrected ("" if not).
    """
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return queryset, ""
    query = ParsedQuery(text)
    correction = corrected(text)
    if correction:
        query = query | ParsedQuery(correction)
    results = (
        queryset.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "slug")
    )
    return results, correction
