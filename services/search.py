"""Full-text search of the catalogue, in the four languages, accent- and typo-tolerant.

Each service carries two columns maintained here:

- ``search_vector``: the service's texts in each language, each run through that
  language's PostgreSQL text search configuration (arabic, french, spanish, english)
  after ``guichet_normalize`` strips accents and Arabic diacritics. A query is parsed
  in all four configurations and OR-ed, so a word typed in any of the languages finds
  the service, whatever the interface language.
- ``search_text``: names, summaries, categories and the association's name in all
  languages, normalised, for pg_trgm word similarity: it forgives small typos.

Both are indexed (GIN). ``guichet_normalize`` is created by a migration.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce

LANGUAGE_CONFIGS = {"ar": "arabic", "fr": "french", "es": "spanish", "en": "english"}
MAX_QUERY_LENGTH = 200

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


class Normalize(Func):
    function = "guichet_normalize"
    output_field = TextField()


def _weighted(language: str, weight: str, *columns: str) -> str:
    config = LANGUAGE_CONFIGS[language]
    parts = ", ".join(columns)
    return (
        f"setweight(to_tsvector('{config}', guichet_normalize(concat_ws(' ', {parts}))), "
        f"'{weight}')"
    )


def _vector_sql() -> str:
    vectors = []
    for lang in LANGUAGE_CONFIGS:
        vectors.append(_weighted(lang, "A", f"s.name_{lang}"))
        vectors.append(
            _weighted(lang, "B", f"s.summary_{lang}", f"c.names_{lang}", f"a.name_{lang}")
        )
        vectors.append(
            _weighted(
                lang,
                "C",
                f"s.description_{lang}",
                f"s.eligibility_{lang}",
                f"s.required_documents_{lang}",
            )
        )
    return " || ".join(vectors)


def _text_sql() -> str:
    columns = []
    for lang in LANGUAGE_CONFIGS:
        columns += [f"s.name_{lang}", f"s.summary_{lang}", f"c.names_{lang}", f"a.name_{lang}"]
    return f"guichet_normalize(concat_ws(' ', {', '.join(columns)}))"


def refresh_search_index(service_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search columns of the given services, or of all; return how many.

    One UPDATE whatever the number of services.
    """
    names = ", ".join(
        f"string_agg(cat.name_{lang}, ' ') AS names_{lang}" for lang in LANGUAGE_CONFIGS
    )
    where = ""
    params: list = []
    if service_ids is not None:
        ids = list(service_ids)
        if not ids:
            return 0
        where = "WHERE sc.service_id = ANY(%s)"
        params = [ids, ids]
    sql = f"""
        UPDATE services_service AS s
        SET search_vector = {_vector_sql()},
            search_text = {_text_sql()}
        FROM associations_association AS a,
             (SELECT s2.id AS service_id, {names}
                FROM services_service AS s2
                LEFT JOIN services_service_categories AS link ON link.service_id = s2.id
                LEFT JOIN services_category AS cat ON cat.id = link.category_id
               {"WHERE s2.id = ANY(%s)" if where else ""}
               GROUP BY s2.id) AS c
        WHERE a.id = s.association_id AND c.service_id = s.id
        {"AND s.id = ANY(%s)" if where else ""}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Filter ``queryset`` to the services matching ``text`` and order by relevance."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return queryset
    normalized = Normalize(Value(text))
    query = None
    for config in LANGUAGE_CONFIGS.values():
        part = SearchQuery(normalized, config=config, search_type="websearch")
        query = part if query is None else query | part
    similarity = Func(
        normalized, F("search_text"), function="word_similarity", output_field=FloatField()
    )
    return (
        queryset.filter(Q(search_vector=query) | Q(search_text__trigram_word_similar=normalized))
        .annotate(
            rank=Coalesce(SearchRank(F("search_vector"), query), 0.0, output_field=FloatField())
            + similarity / 2
        )
        .order_by("-rank", "slug")
    )


def set_typo_tolerance(sender, connection, **kwargs) -> None:
    """Set how similar a misspelt word must be to match (pg_trgm), once per connection."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(settings.SEARCH_TYPO_THRESHOLD)],
        )
